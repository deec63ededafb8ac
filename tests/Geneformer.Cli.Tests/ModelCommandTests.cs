using Geneformer.TestSupport;
namespace Geneformer.Cli.Tests;

public class ModelCommandTests
{
    [Fact]
    public void Model_info_prints_the_parameter_count_and_flops_of_the_10m_and_106m_presets()
    {
        var small = GeneformerProcess.Run("model", "info", "--model", "geneformer-10m");
        Assert.True(small.ExitCode == 0, small.ToString());
        Assert.Contains("10,288,981 (10.3M)", small.StdOut);
        Assert.Contains("FLOPs per token", small.StdOut);

        var large = GeneformerProcess.Run("model", "info", "--model", "geneformer-106m", "--json");
        Assert.True(large.ExitCode == 0, large.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(large.StdOut);
        Assert.InRange(doc.RootElement.GetProperty("parameters").GetInt64(), 105_500_000, 107_000_000);
        Assert.True(doc.RootElement.GetProperty("training_flops_per_token").GetDouble() > 0);
    }

    [Fact]
    public void An_unknown_preset_is_a_clear_error_listing_the_presets()
    {
        var r = GeneformerProcess.Run("model", "info", "--model", "geneformer-1b");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("geneformer-1b", r.StdErr);
        Assert.Contains("geneformer-10m", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr); // no stack trace
    }
}
