using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// One name per kind of preset across commands (--training, --model, --cluster); the published --config still works
/// silently, and the older spellings still work with a note naming the new one.
/// </summary>
public class OptionSpellingTests
{
    private const string Note = "is deprecated and will be removed";

    [Fact]
    public void Model_info_takes_model_and_its_published_config_spelling_alike_without_a_note()
    {
        var model = GeneformerProcess.Run("model", "info", "--model", "tiny", "--json");
        var config = GeneformerProcess.Run("model", "info", "--config", "tiny", "--json");
        Assert.True(model.ExitCode == 0, model.ToString());
        Assert.Equal(model.StdOut, config.StdOut);
        Assert.DoesNotContain(Note, model.StdErr + config.StdErr);
    }

    [Fact]
    public void Old_spellings_work_and_name_the_new_one()
    {
        var bench = GeneformerProcess.Run("bench", "--config", "tiny", "--checkpoint-config", "tiny", "--only", "no-such-stage");
        Assert.Equal(2, bench.ExitCode);
        Assert.Contains($"note: --config {Note}; use --model", bench.StdErr);
        Assert.Contains($"note: --checkpoint-config {Note}; use --checkpoint-model", bench.StdErr);
        Assert.Contains("--only no-such-stage: unknown stage", bench.StdErr);

        using var dir = new TempDir();
        var pretrain = GeneformerProcess.Run("pretrain", "--config", "tiny", "--cluster-config", "no-such-profile", "--corpus", dir["none"], "--checkpoints", dir["ck"]);
        Assert.Equal(2, pretrain.ExitCode);
        Assert.Contains($"note: --cluster-config {Note}; use --cluster", pretrain.StdErr);
        Assert.DoesNotContain("note: --config", pretrain.StdErr);

        var fresh = GeneformerProcess.Run("pretrain", "--training", "tiny", "--cluster", "test", "--corpus", dir["none"], "--checkpoints", dir["ck"]);
        Assert.Equal(2, fresh.ExitCode);
        Assert.DoesNotContain(Note, fresh.StdErr);
        Assert.Contains(dir["none"], fresh.StdErr);
    }
}
