using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class BenchEmbedTests
{
    [Fact]
    public void Bench_only_embed_reports_cells_per_second_for_the_10m_and_tiny_presets()
    {
        var r = GeneformerProcess.Run("bench", "--only", "embed", "--json", "--embed-cells", "16", "--embed-seq-len", "32", "--batch", "8", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["geneformer-10m", "tiny"], figures.Select(f => f.GetProperty("config").GetString()));
        Assert.All(figures, f =>
        {
            Assert.Equal("embed.cells_per_s", f.GetProperty("name").GetString());
            Assert.True(f.GetProperty("value").GetDouble() > 0);
            Assert.Equal(16, f.GetProperty("cells").GetInt32());
            Assert.Equal(32, f.GetProperty("seq_len").GetInt32());
        });
    }
}
