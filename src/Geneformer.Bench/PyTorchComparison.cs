using System.Diagnostics;
using System.Globalization;
using Geneformer.Model;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// TorchSharp against eager PyTorch on the same work, on the CPU: a training step (<see cref="BareTrainStep"/>,
/// forward + backward + AdamW) and an embedding forward (<see cref="BareEmbedStep"/>, no autograd + mean pooling),
/// same preset, batch, sequence length, precision and torch thread count; the PyTorch side is tools/bench/eager_pytorch.py.
/// The two sides run in alternating rounds and each keeps its best round, so load from other work on the machine
/// falls on both alike. Reports both speeds and their ratio (TorchSharp / PyTorch), and for training the seconds
/// per step of each phase on each side (where the time goes).
/// </summary>
public static class PyTorchComparison
{
    /// <param name="Precision">"fp32", or "bf16" on both sides: bf16 matrix products with fp32 weights, optimizer state, logits and loss</param>
    public sealed record Options(string Config, int Batch, int SeqLen, int Steps, int Warmup, int Rounds, string Precision = "fp32");

    /// <summary>The issue's target: TorchSharp at least twice eager PyTorch's speed.</summary>
    public const double Target = 2.0;

    /// <summary>One side's measured round: its speed, and figures about it (phase times).</summary>
    private sealed record Round(double Speed, IReadOnlyDictionary<string, double> Phases);

    public static IEnumerable<BenchFigure> TrainStep(Options o)
    {
        var config = ModelConfigs.Resolve(o.Config);
        using var bare = new BareTrainStep(config, o.Batch, o.SeqLen, CPU, ComputePrecision.Parse(o.Precision));
        return Compare("pytorch-train-step", "train", "tokens_per_s", "tokens/s", o, config, () =>
        {
            for (var i = 0; i < o.Warmup; i++) bare.Run();
        }, () =>
        {
            bare.ResetPhaseSeconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < o.Steps; i++) bare.Run();
            var (f, b, opt) = bare.PhaseSeconds;
            return new Round((double)o.Batch * o.SeqLen * o.Steps / clock.Elapsed.TotalSeconds,
                new Dictionary<string, double> { ["forward_s"] = f / o.Steps, ["backward_s"] = b / o.Steps, ["optimizer_s"] = opt / o.Steps });
        }, r => r.TokensPerSecond);
    }

    public static IEnumerable<BenchFigure> Embed(Options o)
    {
        var config = ModelConfigs.Resolve(o.Config);
        using var bare = new BareEmbedStep(config, o.Batch, o.SeqLen, CPU, ComputePrecision.Parse(o.Precision));
        return Compare("pytorch-embed", "embed", "cells_per_s", "cells/s", o, config, () =>
        {
            for (var i = 0; i < o.Warmup; i++) bare.Run();
        }, () =>
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < o.Steps; i++) bare.Run();
            return new Round((double)o.Batch * o.Steps / clock.Elapsed.TotalSeconds, new Dictionary<string, double>());
        }, r => r.CellsPerSecond);
    }

    private static List<BenchFigure> Compare(string stage, string mode, string metric, string unit, Options o, BertConfig config,
        Action warmUp, Func<Round> measureOurs, Func<EagerResult, double> eagerSpeed)
    {
        var threads = get_num_threads();
        warmUp();
        var ours = new List<Round>();
        var theirs = new List<EagerResult>();
        for (var round = 0; round < Math.Max(1, o.Rounds); round++)
        {
            ours.Add(measureOurs());
            theirs.Add(EagerPyTorch.Measure(new EagerPyTorch.Run(mode, config, o.Batch, o.SeqLen, o.Steps, o.Warmup, threads, o.Precision)));
        }
        var bestOurs = ours.MaxBy(r => r.Speed)!;
        var bestTheirs = theirs.MaxBy(eagerSpeed)!;
        var (ts, py) = (bestOurs.Speed, eagerSpeed(bestTheirs));
        var details = new Dictionary<string, object>
        {
            ["config"] = o.Config, ["device"] = "cpu", ["precision"] = o.Precision, ["batch"] = o.Batch, ["seq_len"] = o.SeqLen, ["steps"] = o.Steps,
            ["rounds"] = ours.Count, ["threads"] = threads,
        };
        var torchSharp = new Dictionary<string, object>(details)
        {
            ["libtorch"] = __version__, ["attention"] = "sdpa", ["rounds_" + metric] = Joined(ours.Select(r => r.Speed)),
        };
        foreach (var (k, v) in bestOurs.Phases) torchSharp[k] = v;
        var eager = new Dictionary<string, object>(details)
        {
            ["torch_version"] = bestTheirs.TorchVersion, ["attention"] = bestTheirs.Attention, ["blas"] = bestTheirs.Blas, ["python_threads"] = bestTheirs.Threads,
            ["rounds_" + metric] = Joined(theirs.Select(eagerSpeed)),
        };
        foreach (var (k, v) in bestTheirs.PhaseSeconds) eager[k] = v;
        return
        [
            new BenchFigure($"{stage}.torchsharp.{metric}", ts, unit, torchSharp),
            new BenchFigure($"{stage}.pytorch.{metric}", py, unit, eager),
            new BenchFigure($"{stage}.speedup", ts / py, "x", new Dictionary<string, object>(details)
            {
                ["torchsharp_" + metric] = ts, ["pytorch_" + metric] = py, ["target"] = Target, ["torch_version"] = bestTheirs.TorchVersion, ["blas"] = bestTheirs.Blas,
            }),
        ];
    }

    private static string Joined(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));
}
