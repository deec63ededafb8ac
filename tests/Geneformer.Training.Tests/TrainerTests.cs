using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.Training.Checkpoints;
using Geneformer.TestSupport;
using static TorchSharp.torch;

namespace Geneformer.Training.Tests;

[Collection(nameof(GlobalTorchRng))]
public class TrainerTests
{
    private static Dictionary<string, Tensor> Weights(string checkpointDir)
    {
        using var model = ModelFolder.Load(checkpointDir);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    [Fact]
    public void Stopping_and_resuming_gives_bit_identical_weights_to_an_uninterrupted_run()
    {
        using var tmp = new TempDir();
        var config = TrainerFixture.Config;
        var straight = TrainerFixture.Train(config, tmp["straight"], new ResumeFrom.Auto());
        Assert.Equal(TrainerExit.Completed, straight.ExitCode);

        var first = TrainerFixture.Train(config, tmp["resumed"], new ResumeFrom.Auto(), new StopSignal { StopAfterStep = 7 });
        Assert.Equal(TrainerExit.Preempted, first.ExitCode);
        Assert.Equal(7, first.Step);
        var second = TrainerFixture.Train(config, tmp["resumed"], new ResumeFrom.Auto());
        Assert.Equal(12, second.Step);

        var a = Weights(new CheckpointStore(tmp["straight"]).PathOf(12));
        var b = Weights(new CheckpointStore(tmp["resumed"]).PathOf(12));
        foreach (var (name, t) in a) Assert.True(t.allclose(b[name], rtol: 0, atol: 0), $"{name} differs after resume");
        Assert.Equal(straight.LastLoss, second.LastLoss);
        Assert.Equal(straight.LastValidationLoss, second.LastValidationLoss);
    }

    [Fact]
    public void Length_grouping_trains_on_the_same_gradient_as_stream_order()
    {
        // Without dropout the only difference is the order of floating-point sums: the steps see the same cells.
        using var tmp = new TempDir();
        var model = TrainerFixture.Model with { HiddenDropout = 0, AttentionDropout = 0 };
        var config = TrainerFixture.Config with { MaxSteps = 4, GlobalBatch = 16 };
        TrainResult Run(bool grouped, string dir)
        {
            using var trainer = new Trainer(config with { LengthGrouping = grouped, Packing = false }, model, TrainerFixture.Data(), new CheckpointStore(tmp[dir]),
                new Parallel.SingleProcessCollectives(), TextWriter.Null, new StopSignal());
            return trainer.Run(new ResumeFrom.Auto());
        }
        var stream = Run(false, "stream");
        var grouped = Run(true, "grouped");
        Assert.Equal(stream.LastLoss!.Value, grouped.LastLoss!.Value, 1e-4);
        var a = Weights(new CheckpointStore(tmp["stream"]).PathOf(4));
        var b = Weights(new CheckpointStore(tmp["grouped"]).PathOf(4));
        foreach (var (name, t) in a) Assert.True(t.allclose(b[name], rtol: 1e-4, atol: 1e-6), $"{name} differs between length-grouped and stream-order training");
    }

    [Fact]
    public void Packed_micro_batches_train_on_the_same_gradient_as_padded_ones()
    {
        // Without dropout the only difference is the order of floating-point sums: the steps see the same cells.
        using var tmp = new TempDir();
        var model = TrainerFixture.Model with { HiddenDropout = 0, AttentionDropout = 0 };
        var config = TrainerFixture.Config with { MaxSteps = 4, GlobalBatch = 16, LogEvery = 1 };
        TrainResult Run(bool packed, string dir)
        {
            using var trainer = new Trainer(config with { Packing = packed, MicroBatchTokens = 3 * TrainerFixture.Model.MaxPositions }, model, TrainerFixture.Data(), new CheckpointStore(tmp[dir]),
                new Parallel.SingleProcessCollectives(), TextWriter.Null, new StopSignal(), tmp[dir + ".jsonl"]);
            return trainer.Run(new ResumeFrom.Auto());
        }
        var padded = Run(false, "padded");
        var packed = Run(true, "packed");
        Assert.Equal(padded.LastLoss!.Value, packed.LastLoss!.Value, 1e-4);
        var a = Weights(new CheckpointStore(tmp["padded"]).PathOf(4));
        var b = Weights(new CheckpointStore(tmp["packed"]).PathOf(4));
        foreach (var (name, t) in a) Assert.True(t.allclose(b[name], rtol: 1e-4, atol: 1e-6), $"{name} differs between packed and padded training");
        var padding = File.ReadLines(tmp["packed.jsonl"]).Where(l => l.Contains("\"padding_fraction\"")).ToList();
        Assert.Equal(4, padding.Count);
        Assert.All(padding, l => Assert.Contains("\"padding_fraction\": 0,", l.Replace(":0,", ": 0,")));
    }

    [Fact]
    public void The_loss_is_read_only_at_logged_steps()
    {
        using var tmp = new TempDir();
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(TrainerFixture.Config with { MaxSteps = 7, LogEvery = 3 }, TrainerFixture.Model, TrainerFixture.Data(), new CheckpointStore(tmp["c"]),
            new Parallel.SingleProcessCollectives(), TextWriter.Null, new StopSignal(), observer: observer))
            trainer.Run(new ResumeFrom.Auto());
        Assert.Equal([3L, 6L, 7L], observer.Steps.Where(p => p.Loss is not null).Select(p => p.Step));
        Assert.Equal(7, observer.Steps.Count);
    }

    private sealed class RecordingObserver : ITrainingObserver
    {
        public List<StepProgress> Steps { get; } = [];
        public void OnPhase(TrainingPhase phase) { }
        public void OnStep(StepProgress progress) => Steps.Add(progress);
        public void OnCheckpointCommitted(long step, string path) { }
    }

    [Fact]
    public void A_stop_request_checkpoints_at_the_step_boundary_and_exits_for_requeue()
    {
        using var tmp = new TempDir();
        var stop = new StopSignal();
        stop.Request("SIGUSR1");
        var result = TrainerFixture.Train(TrainerFixture.Config, tmp["c"], new ResumeFrom.Auto(), stop);
        Assert.Equal(TrainerExit.Preempted, result.ExitCode);
        Assert.Equal(1, result.Step);
        var (found, _) = new CheckpointStore(tmp["c"]).FindResumable();
        Assert.Equal(1, found!.Step);
    }

    [Fact]
    public void A_checkpoint_request_checkpoints_at_the_next_step_boundary_and_training_goes_on()
    {
        using var tmp = new TempDir();
        var stop = new StopSignal();
        stop.RequestCheckpoint();
        var result = TrainerFixture.Train(TrainerFixture.Config with { MaxSteps = 6, CheckpointEvery = 100 }, tmp["c"], new ResumeFrom.Auto(), stop);
        Assert.Equal(TrainerExit.Completed, result.ExitCode);
        Assert.Equal(6, result.Step);
        Assert.Equal([6L, 1L], new CheckpointStore(tmp["c"]).List().Select(c => c.Step));
        Assert.False(stop.TakeCheckpointRequest());
    }

    [Fact]
    public void Validation_loss_falls_as_training_proceeds()
    {
        using var tmp = new TempDir();
        var config = TrainerFixture.Config with { MaxSteps = 150, EvalEvery = 150, CheckpointEvery = 150 };
        var data = TrainerFixture.Data(256);
        using var trainer = new Trainer(config, TrainerFixture.Model, data, new CheckpointStore(tmp["c"]), new Parallel.SingleProcessCollectives(), TextWriter.Null, new StopSignal());
        var before = trainer.ValidationLoss();
        var result = trainer.Run(new ResumeFrom.None());
        Assert.True(result.LastValidationLoss < before - 0.5, $"validation loss {before} -> {result.LastValidationLoss}");
        Assert.InRange(before, Math.Log(TrainerFixture.Vocab) - 1, Math.Log(TrainerFixture.Vocab) + 1);
    }

    [Fact]
    public void Resume_none_refuses_a_directory_that_already_holds_checkpoints()
    {
        using var tmp = new TempDir();
        TrainerFixture.Train(TrainerFixture.Config with { MaxSteps = 4 }, tmp["c"], new ResumeFrom.Auto());
        var e = Assert.Throws<InvalidOperationException>(() => TrainerFixture.Train(TrainerFixture.Config, tmp["c"], new ResumeFrom.None()));
        Assert.Contains("already holds checkpoints", e.Message);
    }

    [Fact]
    public void A_different_global_batch_on_resume_is_refused()
    {
        using var tmp = new TempDir();
        TrainerFixture.Train(TrainerFixture.Config with { MaxSteps = 4 }, tmp["c"], new ResumeFrom.Auto());
        var e = Assert.Throws<InvalidDataException>(() => TrainerFixture.Train(TrainerFixture.Config with { GlobalBatch = 16 }, tmp["c"], new ResumeFrom.Auto()));
        Assert.Contains("global batch 8", e.Message);
    }

    [Fact]
    public void Checkpoints_keep_the_last_k_plus_the_best_and_carry_every_part()
    {
        using var tmp = new TempDir();
        TrainerFixture.Train(TrainerFixture.Config, tmp["c"], new ResumeFrom.Auto());
        var store = new CheckpointStore(tmp["c"]);
        var steps = store.List().Select(c => c.Step).ToList();
        Assert.Contains(12, steps);
        Assert.Contains(8, steps);
        Assert.DoesNotContain(4, steps);
        Assert.Equal(12, store.LatestPointer());
        var dir = store.PathOf(12);
        foreach (var f in new[] { "config.json", "model.safetensors", "optimizer.bin", "trainer_state.json", "training.json", "manifest.json", "ranks/rank-00000.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.Empty(Directory.EnumerateDirectories(tmp["c"], ".*"));
    }
}
