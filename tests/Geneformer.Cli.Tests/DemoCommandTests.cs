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
        Assert.True(File.Exists(Path.Combine(dir, "celltype", "report.md")));
        Assert.True(File.Exists(Path.Combine(dir, "celltype", "celltype.png")));
    }
}
