using Geneformer.Common.IO;
using Geneformer.Data.Matrix;
using Geneformer.Data.Synthetic;
using Geneformer.Model;
using Geneformer.TestSupport;
using Geneformer.Evaluation.Inference;
using TorchSharp;

namespace Geneformer.Integration.Tests;

/// <summary><c>geneformer embed</c> over real MPI ranks (mpiexec.mpich) against the one-process run, on real CELLxGENE counts.</summary>
public class MpiEmbedTests(RandomTinyModelFixture fixture) : IClassFixture<RandomTinyModelFixture>
{
    /// <summary>500 cells x 2,000 genes, raw counts, Ensembl ids (CSR).</summary>
    private static readonly string Cells = SharedData.File("cellxgene-schema", "small_perturbations.h5ad");

    private string[] EmbedArgs(string input, string output, string mode, params string[] extra) =>
        ["embed", "--checkpoint", fixture.Model, "--input", input, "--output", output, "--threads", "1", "--max-length", "256", "--no-progress",
            .. RandomTinyModelFixture.Dictionaries(mode), .. extra];

    /// <summary>The one-process and the N-rank outputs of the same command, each in a folder of its own.</summary>
    private (EmbeddingFilePaths One, EmbeddingFilePaths Ranked, ProcessResult RankedResult) OneAndRanked(int ranks, bool perGene, string mode, params string[] extra)
    {
        var one = Path.Combine(fixture.NewDir("one"), "cells.npy");
        var ranked = Path.Combine(fixture.NewDir($"ranks{ranks}"), "cells.npy");
        var single = GeneformerProcess.Run(EmbedArgs(Cells, one, mode, extra));
        Assert.True(single.ExitCode == 0, single.ToString());
        var parallel = GeneformerProcess.RunMpi(ranks, EmbedArgs(Cells, ranked, mode, extra));
        Assert.True(parallel.ExitCode == 0, parallel.ToString());
        return (EmbeddingFilePaths.For(one, perGene), EmbeddingFilePaths.For(ranked, perGene), parallel);
    }

    private static void AssertOnlyTheOutputFiles(EmbeddingFilePaths files)
    {
        var dir = Path.GetDirectoryName(files.Vectors)!;
        Assert.Equal(files.All.Select(Path.GetFileName).Order(), Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order()); // no parts, no temporaries
    }

    [Theory]
    [InlineData(2, "mean", "float32", "-1", "64", "v1")]
    [InlineData(3, "genes", "float16", "1", "100", "v1")]
    [InlineData(2, "cls", "float32", "-2", "64", "v2")]
    public void Ranks_write_the_bytes_one_process_writes_in_input_order(int ranks, string pooling, string dtype, string layer, string window, string mode)
    {
        var perGene = pooling == "genes";
        var (one, ranked, result) = OneAndRanked(ranks, perGene, mode, "--pooling", pooling, "--dtype", dtype, "--layer", layer, "--window", window);
        Assert.Contains($"over {ranks} MPI ranks, whole windows of {window} cells each", result.StdErr);
        for (var r = 0; r < ranks; r++) Assert.Contains($"rank {r} of {ranks}: cells ", result.StdErr);
        Assert.Contains($"wrote {ranked.Vectors} (500 cells x 64, {dtype})", result.StdOut);

        foreach (var (a, b) in one.All.Zip(ranked.All))
            Assert.True(File.ReadAllBytes(a).SequenceEqual(File.ReadAllBytes(b)), $"{b} differs from the one-process {a}");
        using var source = CellSources.Open(Cells);
        Assert.Equal(source.CellIds, File.ReadAllLines(ranked.Ids));
        var shape = dtype == "float16" ? Npy.Read<Half>(ranked.Vectors).Shape : Npy.Read<float>(ranked.Vectors).Shape;
        if (perGene) Assert.Equal(Npy.Read<long>(ranked.Offsets!).Data[^1], shape[0]);
        else Assert.Equal([500L, 64L], shape);
        AssertOnlyTheOutputFiles(ranked);
    }

    [Fact]
    public void With_fewer_windows_than_ranks_cells_are_shared_evenly_and_rows_match_to_float_rounding()
    {
        var (one, ranked, result) = OneAndRanked(2, false, "v1"); // default window 4,096 > 500 cells
        Assert.Contains("fewer windows of 4,096 cells than ranks", result.StdErr);
        Assert.Contains("rank 1 of 2: cells 250..499", result.StdErr);
        var a = Npy.Read<float>(one.Vectors).Data;
        var b = Npy.Read<float>(ranked.Vectors).Data;
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"element {i} (cell {i / 64}): {a[i]} vs {b[i]}");
        // neighbouring cells differ by far more than that, so rows out of order would be caught
        Assert.All(new[] { 0, 249, 250, 498 }, c => Assert.Contains(Enumerable.Range(0, 64), j => Math.Abs(a[c * 64 + j] - a[(c + 1) * 64 + j]) > 1e-3));
        Assert.Equal(File.ReadAllLines(one.Ids), File.ReadAllLines(ranked.Ids));
        AssertOnlyTheOutputFiles(ranked);
    }

    [Fact]
    public void A_failure_on_one_rank_stops_every_rank_and_writes_nothing()
    {
        // The same counts with a negative value in the last cell: only the rank that reads it fails.
        var input = Path.Combine(fixture.NewDir("input"), "bad-last-cell.h5ad");
        H5adWriter.Write(input, WithNegativeValueInLastCell(Cells));
        var outDir = fixture.NewDir("out");
        var r = GeneformerProcess.RunMpi(2, EmbedArgs(input, Path.Combine(outDir, "cells.npy"), "v1", "--window", "100"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: rank 1 of 2: ", r.StdErr);
        Assert.Contains("negative value -3 at cell 499", r.StdErr);
        Assert.Contains("rank 0 of 2: stopped because 1 of 2 ranks failed", r.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(outDir)); // rank 0 had written its part: removed
    }

    [Fact]
    public void A_missing_output_folder_fails_on_every_rank_naming_it()
    {
        var missing = Path.Combine(fixture.NewDir("parent"), "missing");
        var r = GeneformerProcess.RunMpi(2, EmbedArgs(Cells, Path.Combine(missing, "cells.npy"), "v1"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"error: rank 0 of 2: ", r.StdErr);
        Assert.Contains($"error: rank 1 of 2: ", r.StdErr);
        Assert.Contains($"the output folder {missing} does not exist", r.StdErr);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void A_failure_while_joining_the_parts_removes_them_and_writes_nothing()
    {
        var outDir = fixture.NewDir("join");
        Directory.CreateDirectory(Path.Combine(outDir, "cells.ids.txt")); // the ids file cannot be written
        var r = GeneformerProcess.RunMpi(2, EmbedArgs(Cells, Path.Combine(outDir, "cells.npy"), "v1", "--window", "100"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: rank 0 of 2: ", r.StdErr);
        Assert.Contains("cells.ids.txt", r.StdErr);
        Assert.Contains("rank 1 of 2: stopped because 1 of 2 ranks failed", r.StdErr);
        Assert.Equal(["cells.ids.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void One_rank_under_mpiexec_is_the_one_process_run()
    {
        var one = Path.Combine(fixture.NewDir("plain"), "cells.npy");
        var single = Path.Combine(fixture.NewDir("mpi1"), "cells.npy");
        Assert.Equal(0, GeneformerProcess.Run(EmbedArgs(Cells, one, "v1")).ExitCode);
        var r = GeneformerProcess.RunMpi(1, EmbedArgs(Cells, single, "v1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("MPI ranks", r.StdErr);
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(single));
    }

    private static InMemoryCellSource WithNegativeValueInLastCell(string path)
    {
        using var source = CellSources.Open(path);
        var indPtr = new List<long> { 0 };
        var genes = new List<int>();
        var values = new List<float>();
        foreach (var block in source.ReadBlocks())
        {
            for (var c = 0; c < block.CellCount; c++) indPtr.Add(indPtr[^1] + block.IndPtr[c + 1] - block.IndPtr[c]);
            genes.AddRange(block.GeneIndices[..block.IndPtr[^1]]);
            values.AddRange(block.Values[..block.IndPtr[^1]]);
        }
        values[^1] = -3f;
        return new InMemoryCellSource(path, source.GeneIds.ToArray(), source.CellIds.ToArray(), new Dictionary<string, string?[]>(), indPtr.ToArray(), genes.ToArray(), values.ToArray());
    }
}
