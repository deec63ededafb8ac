using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class GenerateCommandTests
{
    private static readonly string[] Small = ["--datasets", "2", "--cells-per-dataset", "30", "--genes", "600", "--genes-per-cell", "60"];

    [Fact]
    public void Generate_writes_one_h5ad_per_dataset_with_the_options_given()
    {
        using var tmp = new TempDir();
        var r = GeneformerProcess.Run(["generate", "--output", tmp["raw"], .. Small, "--program-genes", "0", "--marker-genes", "40", "--marker-boost", "4"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(2, Directory.GetFiles(tmp["raw"], "*.h5ad").Length);
        Assert.Contains("generated 2 datasets x 30 cells, 600 genes", r.StdOut);
    }

    [Fact]
    public void A_marker_boost_that_is_not_positive_is_refused_and_nothing_is_written()
    {
        using var tmp = new TempDir();
        var r = GeneformerProcess.Run(["generate", "--output", tmp["raw"], .. Small, "--marker-boost", "0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("marker boost (0) must be positive", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.False(Directory.Exists(tmp["raw"]));
    }
}
