using System.Text.Json;
using Geneformer.TestSupport;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Parallel;

namespace Geneformer.Training.Tests;

public class BackgroundCheckpointTests
{
    private static TrainResult Train(TrainingConfig config, string checkpoints, string? metrics = null, TrainingData? data = null, TextWriter? log = null)
    {
        using var trainer = new Trainer(config, TrainerFixture.Model, data ?? TrainerFixture.Data(), new CheckpointStore(checkpoints), new SingleProcessCollectives(),
            log ?? TextWriter.Null, new StopSignal(), metrics);
        return trainer.Run(new ResumeFrom.Auto());
    }

    [Fact]
    public void Checkpoints_written_beside_training_hold_exactly_what_a_paused_run_writes_at_their_step()
    {
        using var tmp = new TempDir();
        var config = TrainerFixture.Config with { MaxSteps = 12, CheckpointEvery = 4, KeepLast = 5 };
        var log = new StringWriter();
        Train(config with { AsyncCheckpoint = true }, tmp["async"], tmp["async.jsonl"], log: log);
        Train(config with { AsyncCheckpoint = false }, tmp["paused"], tmp["paused.jsonl"]);

        var background = new CheckpointStore(tmp["async"]);
        var paused = new CheckpointStore(tmp["paused"]);
        Assert.Equal([12L, 8L, 4L], background.List().Where(c => c.Verified).Select(c => c.Step));
        Assert.Equal(12, background.LatestPointer());
        foreach (var step in new[] { 4L, 8L, 12L })
            foreach (var file in new[] { "model.safetensors", CheckpointLayout.OptimizerFile, CheckpointLayout.TrainerStateFile, "ranks/rank-00000.json" })
                Assert.True(File.ReadAllBytes(Path.Combine(background.PathOf(step), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(paused.PathOf(step), file))), $"step {step}: {file} differs");
        Assert.Contains("written beside training", log.ToString());
        Assert.Empty(Directory.EnumerateDirectories(tmp["async"], ".*")); // no staging left behind

        // Every checkpoint reports how long it held training up.
        var stalls = File.ReadLines(tmp["async.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("checkpoint_stall_s", out _)).Select(r => r.GetProperty("step").GetInt64());
        Assert.Equal([4L, 8L, 12L], stalls);
    }

    [Fact]
    public void A_checkpoint_that_fails_beside_training_stops_the_run_with_the_cause_and_commits_nothing()
    {
        using var tmp = new TempDir();
        var plain = TrainerFixture.Data();
        var missing = tmp["gone/token_dictionary.pkl"];
        var data = plain with { TokenizerFiles = new Dictionary<string, string> { ["token_dictionary.pkl"] = missing } };
        var config = TrainerFixture.Config with { MaxSteps = 12, CheckpointEvery = 2, AsyncCheckpoint = true };

        var e = Assert.ThrowsAny<IOException>(() => { Train(config, tmp["c"], data: data); });
        Assert.Contains(missing, e.Message);
        var store = new CheckpointStore(tmp["c"]);
        Assert.Empty(store.List(verify: false));
        Assert.Null(store.LatestPointer());
    }
}
