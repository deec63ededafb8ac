using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class BenchCheckpointTests
{
    [Fact]
    public void Checkpoint_stage_reports_save_and_load_bandwidth_of_the_whole_checkpoint_and_removes_it()
    {
        const long tinyParameters = 1_757_013;
        var before = Leftovers();
        var figures = BenchFigures.Parse(GeneformerProcess.Run("bench", "--only", "checkpoint", "--checkpoint-model", "tiny", "--rounds", "1", "--threads", "1", "--json"));
        foreach (var name in new[] { "checkpoint.save.gb_per_s", "checkpoint.load.gb_per_s", "checkpoint.load_cached.gb_per_s" })
        {
            var f = figures.Single(name);
            var bytes = f.Number("bytes");
            Assert.Equal(bytes / f.Number("seconds") / 1e9, f.Positive(), 6);
            Assert.True(f.Number("model_safetensors_bytes") >= 4 * tinyParameters); // fp32 weights
            Assert.True(f.Number("optimizer_bin_bytes") >= 8 * tinyParameters); // AdamW's two moments
            Assert.True(bytes >= f.Number("model_safetensors_bytes") + f.Number("optimizer_bin_bytes"));
        }
        // Beside training a checkpoint pauses it only for the copy into host memory: less than the whole save.
        var stall = figures.Single("checkpoint.stall_s");
        Assert.Equal(stall.Positive() / stall.Number("save_seconds"), stall.Number("stall_over_save"), 6);
        Assert.True(stall.Number("stall_over_save") < 1, $"stall {stall.Positive()} s against a save of {stall.Number("save_seconds")} s");
        Assert.Equal(before, Leftovers());
    }

    private static string[] Leftovers() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "geneformer-bench-checkpoint-*").Order()];
}
