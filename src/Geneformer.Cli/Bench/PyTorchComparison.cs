using System.Diagnostics;
using Geneformer.Model;
using static TorchSharp.torch;

namespace Geneformer.Cli.Bench;

/// <summary>
/// TorchSharp against eager PyTorch on the same work, on the CPU: a training step (<see cref="BareTrainStep"/>,
/// forward + backward + AdamW) and an embedding forward (<see cref="BareEmbedStep"/>, no autograd + mean pooling),
/// same preset, batch, sequence length and torch thread count; the PyTorch side is tools/bench/eager_pytorch.py.
/// The two sides run in alternating rounds and each keeps its best round, so load from other work on the machine
/// falls on both alike. Reports both speeds and their ratio (TorchSharp / PyTorch).
/// </summary>
public static class PyTorchComparison
{
    public sealed record Options(string Config, int Batch, int SeqLen, int Steps, int Warmup, int Rounds);

    /// <summary>The issue's target: TorchSharp at least twice eager PyTorch's speed.</summary>
    public const double Target = 2.0;

    public static IEnumerable<BenchFigure> TrainStep(Options o)
    {
        var config = ModelConfigs.Resolve(o.Config);
        using var bare = new BareTrainStep(config, o.Batch, o.SeqLen, CPU);
        return Compare("pytorch-train-step", "train", "tokens_per_s", "tokens/s", o, config,
            () => bare.Run(), r => r.TokensPerSecond, seconds => (double)o.Batch * o.SeqLen / seconds);
    }

    public static IEnumerable<BenchFigure> Embed(Options o)
    {
        var config = ModelConfigs.Resolve(o.Config);
        using var bare = new BareEmbedStep(config, o.Batch, o.SeqLen, CPU);
        return Compare("pytorch-embed", "embed", "cells_per_s", "cells/s", o, config,
            () => bare.Run(), r => r.CellsPerSecond, seconds => o.Batch / seconds);
    }

    private static List<BenchFigure> Compare(string stage, string mode, string metric, string unit, Options o, BertConfig config,
        Action torchSharpStep, Func<EagerResult, double> eagerSpeed, Func<double, double> speedOfStepSeconds)
    {
        var threads = get_num_threads();
        for (var i = 0; i < o.Warmup; i++) torchSharpStep();
        var ours = new List<double>();
        var theirs = new List<EagerResult>();
        for (var round = 0; round < Math.Max(1, o.Rounds); round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < o.Steps; i++) torchSharpStep();
            ours.Add(speedOfStepSeconds(clock.Elapsed.TotalSeconds / o.Steps));
            theirs.Add(EagerPyTorch.Measure(new EagerPyTorch.Run(mode, config, o.Batch, o.SeqLen, o.Steps, o.Warmup, threads)));
        }
        var best = theirs.MaxBy(eagerSpeed)!;
        var ts = ours.Max();
        var py = eagerSpeed(best);
        var details = new Dictionary<string, object>
        {
            ["config"] = o.Config, ["device"] = "cpu", ["precision"] = "fp32", ["batch"] = o.Batch, ["seq_len"] = o.SeqLen, ["steps"] = o.Steps,
            ["rounds"] = ours.Count, ["threads"] = threads,
        };
        var eager = new Dictionary<string, object>(details)
        {
            ["torch_version"] = best.TorchVersion, ["attention"] = best.Attention, ["blas"] = best.Blas, ["python_threads"] = best.Threads,
            ["rounds_" + metric] = string.Join(" ", theirs.Select(r => eagerSpeed(r).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
        };
        return
        [
            new BenchFigure($"{stage}.torchsharp.{metric}", ts, unit, new Dictionary<string, object>(details)
            {
                ["libtorch"] = __version__, ["attention"] = "sdpa",
                ["rounds_" + metric] = string.Join(" ", ours.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
            }),
            new BenchFigure($"{stage}.pytorch.{metric}", py, unit, eager),
            new BenchFigure($"{stage}.speedup", ts / py, "x", new Dictionary<string, object>(details)
            {
                ["torchsharp_" + metric] = ts, ["pytorch_" + metric] = py, ["target"] = Target, ["torch_version"] = best.TorchVersion, ["blas"] = best.Blas,
            }),
        ];
    }
}
