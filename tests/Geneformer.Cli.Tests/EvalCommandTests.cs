using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

[Collection(TrainedModelCollection.Name)]
public class EvalCommandTests(TrainedModelFixture model)
{
    private static JsonElement MlmJson(string checkpoint, string corpus)
    {
        var r = GeneformerProcess.Run("eval", "mlm", "--checkpoint", checkpoint, "--corpus", corpus, "--json", "--threads", "1", "--max-cells", "64");
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [Fact]
    public void Mlm_loss_of_a_trained_checkpoint_is_below_its_near_random_start()
    {
        var early = MlmJson(model.Early, model.Corpus.Corpus);
        var trained = MlmJson(model.Trained, model.Corpus.Corpus);
        Assert.Equal(64, trained.GetProperty("cells").GetInt64());
        Assert.True(trained.GetProperty("masked_tokens").GetInt64() > 0);
        Assert.Equal(early.GetProperty("masked_tokens").GetInt64(), trained.GetProperty("masked_tokens").GetInt64()); // same masking
        var e = early.GetProperty("loss").GetDouble();
        var t = trained.GetProperty("loss").GetDouble();
        Assert.True(t < e - 0.05, $"trained {t} vs start {e}"); // the start already predicts gene frequencies (output_bias_init)
        Assert.True(Math.Abs(trained.GetProperty("perplexity").GetDouble() - Math.Exp(t)) < 1e-6 * Math.Exp(t));
        Assert.Equal(t, MlmJson(model.Trained, model.Corpus.Corpus).GetProperty("loss").GetDouble()); // deterministic
    }

    [Fact]
    public void Mlm_prints_loss_perplexity_and_counts()
    {
        var r = GeneformerProcess.Run("eval", "mlm", "--checkpoint", model.Trained, "--corpus", model.Corpus.Corpus, "--split", "validation", "--max-cells", "16", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"mlm loss \d+\.\d+ \(perplexity [\d.]+\) on 16 cells, [\d,]+ tokens, [\d,]+ masked", r.StdOut);
    }

    [Fact]
    public void Celltype_pca_baseline_on_real_cellxgene_counts_is_far_above_chance()
    {
        var output = model.NewDir("celltype");
        var r = GeneformerProcess.Run("eval", "celltype", "--input", SharedData.File("cellxgene-schema", "example_valid_2025-02-18.h5ad"),
            "--label-column", "cell_type_ontology_term_id", "--output", output, "--folds", "5");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("chance (majority class) 0.500", r.StdOut);
        Assert.True(Accuracy(r.StdOut, "pca", "logreg") > 0.85, r.StdOut);
        Assert.True(Accuracy(r.StdOut, "pca", "forest") > 0.85, r.StdOut);
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("it holds counts, log-normalised", report);
        Assert.Contains("| pca | log-normalised counts, PCA 10 | logreg |", report);
        AssertPng(Path.Combine(output, "celltype.png"));
    }

    [Fact]
    public void Celltype_on_pbmc68k_runs_the_pca_baseline_on_what_the_file_has_and_says_it_is_not_counts()
    {
        var output = model.NewDir("pbmc");
        var r = GeneformerProcess.Run("eval", "celltype", "--input", SharedData.File("scanpy", "10x_pbmc68k_reduced.h5ad"),
            "--label-column", "bulk_labels", "--output", output, "--classifier", "logreg", "--folds", "3");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(Accuracy(r.StdOut, "pca", "logreg") > 0.343 + 0.25, r.StdOut); // chance = Dendritic 240 / 700
        Assert.Contains("does not hold raw counts", File.ReadAllText(Path.Combine(output, "report.md")));
    }

    [Fact]
    public void Celltype_with_checkpoints_adds_the_random_weights_baseline_and_each_checkpoint()
    {
        var output = model.NewDir("gen");
        // Three models embed every cell: allow for a machine busy with the other test projects.
        var r = GeneformerProcess.Run(TimeSpan.FromMinutes(10), "eval", "celltype", "--input", model.Cells, "--label-column", "cell_type", "--output", output,
            "--checkpoint", model.Trained, "--checkpoint", model.Early, "--classifier", "logreg", "--folds", "3", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var name in new[] { "pca", "random-init", "step-000040", "step-000001" })
            Assert.Matches($@"(?m)^{name}\s+logreg\s+accuracy", r.StdOut);
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("random weights (seed 0)", report);
        AssertPng(Path.Combine(output, "celltype.png"));
        // deterministic for a fixed seed
        var again = GeneformerProcess.Run(TimeSpan.FromMinutes(10), "eval", "celltype", "--input", model.Cells, "--label-column", "cell_type", "--output", model.NewDir("gen2"),
            "--checkpoint", model.Trained, "--checkpoint", model.Early, "--classifier", "logreg", "--folds", "3", "--threads", "1");
        Assert.Equal(r.StdOut.Split('\n').Where(l => l.Contains("accuracy")), again.StdOut.Split('\n').Where(l => l.Contains("accuracy")));
    }

    [Fact]
    public void Celltype_with_an_unknown_label_column_names_it_and_lists_the_columns()
    {
        var r = GeneformerProcess.Run("eval", "celltype", "--input", SharedData.File("scanpy", "10x_pbmc68k_reduced.h5ad"),
            "--label-column", "celltypes", "--output", model.NewDir("x"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no obs column 'celltypes'", r.StdErr);
        Assert.Contains("bulk_labels", r.StdErr);
    }

    private static double Accuracy(string stdout, string model, string classifier)
    {
        var m = Regex.Match(stdout, $@"(?m)^{model}\s+{classifier}\s+accuracy (\d\.\d+)");
        Assert.True(m.Success, stdout);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }
}
