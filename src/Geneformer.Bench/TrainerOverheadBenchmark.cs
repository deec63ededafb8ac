using System.Diagnostics;
using Geneformer.Model;

namespace Geneformer.Bench;

/// <summary>
/// The full trainer step (<see cref="TrainStepBenchmark"/>: loader, masking, collation, loss normalisation, gradient
/// clipping, LR schedule, metrics) against a bare forward + backward + AdamW step of the same preset and shapes
/// (<see cref="BareTrainStep"/>), in alternating rounds (each side keeps its best, so load from other work falls on
/// both alike). Overhead = 1 - trainer tokens/s / bare tokens/s.
/// </summary>
public static class TrainerOverheadBenchmark
{
    public static IEnumerable<BenchFigure> Run(ModelStepBenchmark.Options o, int rounds)
    {
        var config = ModelConfigs.Resolve(o.Config);
        var device = TorchRuntime.ResolveDevice(o.Device);
        var bare = new List<double>();
        var trainer = new List<double>();
        using (var step = new BareTrainStep(config, o.Batch, o.SeqLen, device))
        {
            for (var i = 0; i < o.Warmup; i++) step.Run();
            for (var round = 0; round < Math.Max(1, rounds); round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < o.Steps; i++) step.Run();
                bare.Add((double)o.Batch * o.SeqLen * o.Steps / clock.Elapsed.TotalSeconds);
                trainer.Add(TrainStepBenchmark.Run(o).Single(f => f.Name == "train-step.tokens_per_s").Value);
            }
        }
        var (b, t) = (bare.Max(), trainer.Max());
        var details = new Dictionary<string, object>
        {
            ["config"] = o.Config, ["device"] = device.ToString(), ["batch"] = o.Batch, ["seq_len"] = o.SeqLen, ["steps"] = o.Steps, ["rounds"] = bare.Count,
            ["threads"] = TorchSharp.torch.get_num_threads(), ["bare_tokens_per_s"] = b, ["trainer_tokens_per_s"] = t,
            ["rounds_bare"] = string.Join(" ", bare.Select(v => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))),
            ["rounds_trainer"] = string.Join(" ", trainer.Select(v => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))),
        };
        yield return new BenchFigure("trainer-overhead.bare.tokens_per_s", b, "tokens/s", details);
        yield return new BenchFigure("trainer-overhead.trainer.tokens_per_s", t, "tokens/s", details);
        yield return new BenchFigure("trainer-overhead.fraction", 1 - t / b, "fraction", details);
    }
}
