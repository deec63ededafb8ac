using Geneformer.Data.Loading;
using Geneformer.Collectives;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Parallel;

namespace Geneformer.Bench;

/// <summary>
/// The real trainer (loader, masking, collation, forward/backward, AdamW, metrics) on generated full-length
/// cells: tokens/s, TFLOPS, MFU, and the share of step time spent outside forward/backward/optimizer.
/// </summary>
public static class TrainStepBenchmark
{
    private const string SharedDirVariable = "GENEFORMER_BENCH_DIR";

    /// <summary>The same with 2 MPI ranks on this machine (this program re-run under mpiexec.mpich -n 2): adds the share of step time in gradient all-reduce.</summary>
    /// <summary>
    /// Two CPU ranks on this machine, unless the one-rank peak this process already measured (model-step, train-step)
    /// says two would not fit in the memory available: then one figure says it was skipped, and why.
    /// </summary>
    public static IEnumerable<BenchFigure> RunTwoRanks(ModelStepBenchmark.Options o, long? oneRankPeakBytes)
    {
        var available = ProcessMemory.AvailableBytes();
        if (oneRankPeakBytes is { } peak && available is { } free && 2 * peak > free && TorchRuntime.ResolveDevice(o.Device).type == TorchSharp.DeviceType.CPU)
        {
            return [new BenchFigure("train-step-2-ranks.skipped", 2.0 * peak / (1L << 30), "GiB needed", new Dictionary<string, object>
            {
                ["reason"] = $"two ranks need about twice the {peak / (1L << 30):0.0} GiB one rank peaked at; {free / (1L << 30):0.0} GiB available (smaller --batch or --seq-len fit)",
                ["available_gib"] = free / (double)(1L << 30), ["config"] = o.Config, ["batch"] = o.Batch, ["seq_len"] = o.SeqLen,
            })];
        }
        return RunTwoRanksNow(o);
    }

    private static IEnumerable<BenchFigure> RunTwoRanksNow(ModelStepBenchmark.Options o) =>
        TwoRankRun.Relay(
            ["--only", "train-step", "--model", o.Config, "--batch", o.Batch.ToString(), "--seq-len", o.SeqLen.ToString(),
             "--steps", o.Steps.ToString(), "--warmup", o.Warmup.ToString(), "--device", o.Device, "--threads", "1"],
            new Dictionary<string, string> { [SharedDirVariable] = Path.Combine(Path.GetTempPath(), "geneformer-bench-" + Guid.NewGuid().ToString("N")) });

    public static IEnumerable<BenchFigure> Run(ModelStepBenchmark.Options o)
    {
        var model = ModelConfigs.Resolve(o.Config);
        using var collectives = CollectivesFactory.Create(TorchRuntime.ResolveDevice(o.Device).type);
        var cells = InMemoryCells.Random(Math.Max(64, o.Batch * (o.Steps + o.Warmup)), o.SeqLen, model.VocabSize, firstGene: 2, seed: 7);
        var data = new TrainingData("generated cells", cells, null, new MaskingVocabulary(model.VocabSize, 0, 1, []), new Dictionary<string, string>());
        var config = new TrainingConfig
        {
            Model = o.Config, MicroBatch = o.Batch, GlobalBatch = o.Batch * collectives.WorldSize, MaxSteps = o.Steps + o.Warmup, MaxLength = o.SeqLen,
            WarmupSteps = 1, CheckpointEvery = long.MaxValue / 2, EvalEvery = long.MaxValue / 2, LogEvery = long.MaxValue / 2,
            Device = o.Device, PeakTflops = o.PeakTflops,
        };
        // Ranks of one run share the checkpoint directory their launcher names.
        var dir = Environment.GetEnvironmentVariable(SharedDirVariable) ?? Path.Combine(Path.GetTempPath(), "geneformer-bench-" + Guid.NewGuid().ToString("N"));
        var collector = new StepCollector();
        try
        {
            using var trainer = new Trainer(config, model, data, new CheckpointStore(dir), collectives, TextWriter.Null, new StopSignal(), null, collector);
            trainer.Run(new ResumeFrom.None());
        }
        finally
        {
            if (collectives.Rank == 0 && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        var measured = collector.Steps.Skip(o.Warmup).ToList();
        var seconds = measured.Sum(s => s.StepSeconds);
        var tokens = measured.Sum(s => (double)s.GlobalRealTokens);
        var tflops = measured.Sum(s => s.GlobalFlops) / seconds / 1e12;
        var outside = measured.Sum(s => s.Times!.Outside) / seconds;
        if (collectives.Rank != 0) yield break;
        var details = new Dictionary<string, object>
        {
            ["ranks"] = collectives.WorldSize, ["config"] = o.Config, ["device"] = o.Device, ["batch"] = o.Batch, ["seq_len"] = o.SeqLen, ["steps"] = measured.Count,
            ["threads"] = TorchSharp.torch.get_num_threads(), ["seconds_per_step"] = seconds / measured.Count,
        };
        yield return new BenchFigure(collectives.WorldSize > 1 ? $"train-step.{collectives.WorldSize}-ranks.tokens_per_s" : "train-step.tokens_per_s", tokens / seconds, "tokens/s", details);
        yield return new BenchFigure(collectives.WorldSize > 1 ? $"train-step.{collectives.WorldSize}-ranks.tflops" : "train-step.tflops", tflops, "TFLOPS", new Dictionary<string, object>(details) { ["mfu"] = tflops / o.PeakTflops, ["peak_tflops"] = o.PeakTflops });
        var prefix = collectives.WorldSize > 1 ? $"train-step.{collectives.WorldSize}-ranks" : "train-step";
        yield return new BenchFigure($"{prefix}.outside_compute_fraction", outside, "fraction", new Dictionary<string, object>(details)
        {
            ["data_wait_s_per_step"] = measured.Sum(s => s.Times!.DataWait) / measured.Count,
        });
        if (collectives.WorldSize > 1)
            yield return new BenchFigure($"{prefix}.communication_fraction", measured.Sum(s => s.Times!.Communication) / seconds, "fraction", details);
    }
}
