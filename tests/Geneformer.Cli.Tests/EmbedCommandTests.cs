using Geneformer.Common.IO;
using Geneformer.Data.Matrix;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

[Collection(TrainedModelCollection.Name)]
public class EmbedCommandTests(TrainedModelFixture model)
{
    private (string Npy, ProcessResult Result) Embed(params string[] extra)
    {
        var npy = Path.Combine(model.NewDir("embed"), "cells.npy");
        Directory.CreateDirectory(Path.GetDirectoryName(npy)!);
        var r = GeneformerProcess.Run(["embed", "--checkpoint", model.Trained, "--input", model.Cells, "--output", npy, "--threads", "1", "--no-progress", .. extra]);
        return (npy, r);
    }

    [Fact]
    public void Writes_one_row_per_cell_with_the_cell_ids_in_input_order()
    {
        var (npy, r) = Embed();
        Assert.True(r.ExitCode == 0, r.ToString());
        var (data, shape) = Npy.Read<float>(npy);
        Assert.Equal([120L, 64L], shape);
        Assert.All(data, v => Assert.True(float.IsFinite(v)));
        using var source = CellSources.Open(model.Cells);
        Assert.Equal(source.CellIds, File.ReadAllLines(Path.ChangeExtension(npy, ".ids.txt")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(npy)!, ".*")); // no temporary files left
    }

    [Fact]
    public void Length_sorted_batches_give_the_rows_one_cell_at_a_time_gives()
    {
        var (sorted, r1) = Embed("--batch", "16", "--window", "64");
        var (single, r2) = Embed("--batch", "1", "--window", "1");
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0, r1 + "\n" + r2);
        var a = Npy.Read<float>(sorted).Data;
        var b = Npy.Read<float>(single).Data;
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-3, $"element {i} (cell {i / 64}): {a[i]} vs {b[i]}");
        // and the cells really differ, so a permutation would be caught
        Assert.Contains(Enumerable.Range(0, 64), j => Math.Abs(a[j] - a[64 + j]) > 1e-3);
    }

    [Fact]
    public void Is_deterministic()
    {
        var (first, r1) = Embed();
        var (second, r2) = Embed();
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Float16_holds_the_float32_values_rounded()
    {
        var (f32, r1) = Embed();
        var (f16, r2) = Embed("--dtype", "float16");
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0, r2.ToString());
        var a = Npy.Read<float>(f32).Data;
        var (b, shape) = Npy.Read<Half>(f16);
        Assert.Equal([120L, 64L], shape);
        for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - (float)b[i]) <= 1e-2 * Math.Max(1, Math.Abs(a[i])));
    }

    [Fact]
    public void The_default_is_the_second_to_last_hidden_state_and_layers_differ()
    {
        var (standard, r1) = Embed();
        var (first, r2) = Embed("--layer", "0");
        var (named, r3) = Embed("--layer", "1"); // tiny has 2 layers: 1 = the second-to-last hidden state
        var (last, r4) = Embed("--layer", "-1");
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0 && r3.ExitCode == 0 && r4.ExitCode == 0, r2.ToString());
        Assert.NotEqual(File.ReadAllBytes(standard), File.ReadAllBytes(first));
        Assert.NotEqual(File.ReadAllBytes(standard), File.ReadAllBytes(last));
        Assert.Equal(Npy.Read<float>(standard).Data, Npy.Read<float>(named).Data);
        var bad = Embed("--layer", "3").Result;
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--layer 3", bad.StdErr);
    }

    [Fact]
    public void Gene_pooling_writes_one_row_per_gene_token_with_offsets_and_tokens()
    {
        var (npy, r) = Embed("--pooling", "genes");
        Assert.True(r.ExitCode == 0, r.ToString());
        var (rows, shape) = Npy.Read<float>(npy);
        var offsets = Npy.Read<long>(Path.ChangeExtension(npy, ".offsets.npy")).Data;
        var tokens = Npy.Read<int>(Path.ChangeExtension(npy, ".tokens.npy")).Data;
        Assert.Equal(121, offsets.Length);
        Assert.Equal(0, offsets[0]);
        Assert.Equal(shape[0], offsets[^1]);
        Assert.Equal(shape[0], tokens.Length);
        Assert.All(Enumerable.Range(0, 120), i => Assert.InRange(offsets[i + 1] - offsets[i], 1, 256)); // v1, trained at 256 tokens
        Assert.All(tokens, t => Assert.True(t > 1)); // no <pad> (0) or <mask> (1)
        // the mean of a cell's gene rows is its mean-pooled embedding
        var mean = Npy.Read<float>(Embed().Npy).Data;
        for (var j = 0; j < 64; j++)
        {
            var m = Enumerable.Range((int)offsets[5], (int)(offsets[6] - offsets[5])).Average(k => rows[k * 64 + j]);
            Assert.True(Math.Abs(m - mean[5 * 64 + j]) < 1e-3);
        }
    }

    [Fact]
    public void Cls_pooling_is_refused_for_a_v1_model()
    {
        var r = Embed("--pooling", "cls").Result;
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no CLS token", r.StdErr);
    }

    [Fact]
    public void A_missing_checkpoint_is_a_clear_error_and_writes_nothing()
    {
        var dir = model.NewDir("out");
        Directory.CreateDirectory(dir);
        var r = GeneformerProcess.Run("embed", "--checkpoint", "/nonexistent/ckpt", "--input", model.Cells, "--output", Path.Combine(dir, "x.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/ckpt", r.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_model_without_tokenizer_needs_vocab_and_medians()
    {
        var bare = model.NewDir("bare");
        Directory.CreateDirectory(bare);
        foreach (var f in new[] { "config.json", "model.safetensors" }) File.Copy(Path.Combine(model.Trained, f), Path.Combine(bare, f));
        var npy = Path.Combine(model.NewDir("o"), "x.npy");
        Directory.CreateDirectory(Path.GetDirectoryName(npy)!);
        var r = GeneformerProcess.Run("embed", "--checkpoint", bare, "--input", model.Cells, "--output", npy);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--vocab", r.StdErr);
        Assert.False(File.Exists(npy));

        var tokenizer = Path.Combine(model.Trained, "tokenizer");
        var ok = GeneformerProcess.Run("embed", "--checkpoint", bare, "--input", model.Cells, "--output", npy, "--threads", "1", "--no-progress",
            "--vocab", Path.Combine(tokenizer, "vocab.tsv"), "--medians", Path.Combine(tokenizer, "medians.tsv"), "--token-mode", "v1", "--max-length", "256");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(Npy.Read<float>(Embed().Npy).Data, Npy.Read<float>(npy).Data);
    }
}
