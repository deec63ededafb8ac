using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Parallel;

namespace Geneformer.Bench;

/// <summary>
/// The trainer on a corpus's own cells, so on its real length distribution (<c>--corpus</c>, or the generated one),
/// with packed micro batches against padded length-grouped ones of the same step's cells, in alternating rounds (each
/// side keeps its best): real tokens/s and TFLOPS of each (FLOPs of real tokens only), the share of the computed tokens
/// the padded batching spends on padding, and the speed-up packing gives.
/// </summary>
public static class TrainLengthsBenchmark
{
    /// <param name="Accumulation">micro batches of <c>Batch</c> cells in a step: the step's global batch is Batch x Accumulation cells</param>
    public sealed record Options(string Config, int Batch, int MaxLength, int Accumulation, int Steps, int Warmup, int Rounds, string Device, double PeakTflops);

    private sealed record Side(double TokensPerSecond, double Tflops, double PaddingFraction, double SecondsPerStep);

    public static IEnumerable<BenchFigure> Run(BenchCorpus corpus, Options o)
    {
        var model = ModelConfigs.Resolve(o.Config);
        var (data, reader) = CorpusTrainingData.Open(corpus.Directory);
        using var _ = reader;
        var padded = new List<Side>();
        var packed = new List<Side>();
        for (var round = 0; round < Math.Max(1, o.Rounds); round++)
        {
            padded.Add(Train(o, model, data, packing: false));
            packed.Add(Train(o, model, data, packing: true));
        }
        var (p, k) = (padded.MaxBy(s => s.TokensPerSecond)!, packed.MaxBy(s => s.TokensPerSecond)!);
        var details = new Dictionary<string, object>
        {
            ["corpus"] = corpus.Description, ["config"] = o.Config, ["device"] = o.Device, ["cells_per_step"] = o.Batch * o.Accumulation, ["micro_batch"] = o.Batch,
            ["micro_batch_tokens"] = o.Batch * Math.Min(o.MaxLength, model.MaxPositions), ["max_length"] = Math.Min(o.MaxLength, model.MaxPositions),
            ["steps"] = o.Steps, ["rounds"] = padded.Count, ["threads"] = TorchSharp.torch.get_num_threads(),
        };
        Dictionary<string, object> With(Side s) => new(details)
        {
            ["tflops"] = s.Tflops, ["mfu"] = s.Tflops / o.PeakTflops, ["padding_fraction"] = s.PaddingFraction, ["seconds_per_step"] = s.SecondsPerStep,
        };
        yield return new BenchFigure("train-lengths.padded.tokens_per_s", p.TokensPerSecond, "tokens/s", With(p));
        yield return new BenchFigure("train-lengths.packed.tokens_per_s", k.TokensPerSecond, "tokens/s", With(k));
        yield return new BenchFigure("train-lengths.padded.padding_fraction", p.PaddingFraction, "fraction", With(p));
        yield return new BenchFigure("train-lengths.packed.speedup", k.TokensPerSecond / p.TokensPerSecond, "x", new Dictionary<string, object>(details)
        {
            ["rounds_padded"] = string.Join(" ", padded.Select(s => s.TokensPerSecond.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))),
            ["rounds_packed"] = string.Join(" ", packed.Select(s => s.TokensPerSecond.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))),
        });
    }

    private static Side Train(Options o, BertConfig model, TrainingData data, bool packing)
    {
        var config = new TrainingConfig
        {
            Model = o.Config, MicroBatch = o.Batch, GlobalBatch = (long)o.Batch * o.Accumulation, MaxSteps = o.Steps + o.Warmup, MaxLength = o.MaxLength,
            WarmupSteps = 1, CheckpointEvery = long.MaxValue / 2, EvalEvery = long.MaxValue / 2, LogEvery = long.MaxValue / 2,
            Device = o.Device, PeakTflops = o.PeakTflops, Packing = packing, ReferenceCells = 1,
        };
        var dir = Path.Combine(Path.GetTempPath(), "geneformer-bench-" + Guid.NewGuid().ToString("N"));
        var collector = new StepCollector();
        try
        {
            using var trainer = new Trainer(config, model, data with { Validation = null }, new CheckpointStore(dir), new SingleProcessCollectives(), TextWriter.Null, new StopSignal(), null, collector);
            trainer.Run(new ResumeFrom.None());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        var measured = collector.Steps.Skip(o.Warmup).ToList();
        var seconds = measured.Sum(s => s.StepSeconds);
        var real = measured.Sum(s => (double)s.GlobalRealTokens);
        return new Side(real / seconds, measured.Sum(s => s.GlobalFlops) / seconds / 1e12, 1 - real / measured.Sum(s => (double)s.GlobalComputedTokens), seconds / measured.Count);
    }
}
