using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>`geneformer demo`, the README's first command, end to end at a small size: every stage runs and leaves its output.</summary>
public class DemoCommandTests
{
    [Fact]
    public void The_demo_runs_every_stage_on_a_local_cluster_and_leaves_each_output()
    {
        using var tmp = new TempDir();
        var dir = tmp["demo"];
        var r = GeneformerProcess.Run(TimeSpan.FromMinutes(8), "demo", "--output", dir, "--datasets", "4", "--cells-per-dataset", "120", "--steps", "8", "--ranks", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("job completed", r.StdOut);
        Assert.Contains("demo finished", r.StdOut);
        Assert.True(File.Exists(Path.Combine(dir, "corpus", "manifest.json")));
        Assert.True(Directory.Exists(Path.Combine(dir, "checkpoints", "step-000008")));
        Assert.True(File.Exists(Path.Combine(dir, "embeddings.npy")));
        foreach (var file in new[] { "report.md", "accuracy.png", "macro-f1.png", "mlm-loss.png", "scores.csv" })
            Assert.True(File.Exists(Path.Combine(dir, "learning", file)), file);
        // The learning curve and the comparison are printed: a checkpoint every quarter of the run, each scored.
        foreach (var step in new[] { 2, 4, 6, 8 })
            Assert.Matches($@"(?m)^step {step}\s+logreg\s+accuracy \d\.\d+ ± \d\.\d+  macro F1 \d\.\d+ ± \d\.\d+  MLM \d+\.\d+$", r.StdOut);
        Assert.Matches(@"(?m)^random weights\s+logreg\s+accuracy", r.StdOut);
        Assert.Matches(@"(?m)^PCA baseline\s+logreg\s+accuracy", r.StdOut);
    }
}
