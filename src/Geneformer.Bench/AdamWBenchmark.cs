using System.Diagnostics;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// The optimizer step alone, on a preset's parameters with random gradients: libtorch's fused AdamW (the trainer's)
/// against TorchSharp's AdamW, which loops over the parameters in C#, in alternating rounds; best round of each kept.
/// </summary>
public static class AdamWBenchmark
{
    public static IEnumerable<BenchFigure> Run(string preset, string deviceName, int steps, int rounds)
    {
        var device = TorchRuntime.ResolveDevice(deviceName);
        var config = ModelConfigs.Resolve(preset);
        using var model = new BertForMaskedLM(config, ComputePrecision.Fp32);
        model.to(device);
        foreach (var p in model.parameters()) p.grad = randn_like(p).mul_(1e-3);
        var training = new Training.TrainingConfig { LearningRate = 1e-4, WeightDecay = 0.01 };
        using var fused = OptimizerFactory.Create(model, training with { FusedAdamW = true });
        using var loop = OptimizerFactory.Create(model, training with { FusedAdamW = false });
        var best = new Dictionary<string, double> { ["fused"] = double.MaxValue, ["loop"] = double.MaxValue };
        for (var round = 0; round < rounds; round++)
            foreach (var (name, optimizer) in new[] { ("fused", fused), ("loop", loop) })
            {
                optimizer.step(); // warm-up
                Sync(device);
                var clock = Stopwatch.StartNew();
                for (var s = 0; s < steps; s++) optimizer.step();
                Sync(device);
                best[name] = Math.Min(best[name], clock.Elapsed.TotalSeconds / steps);
            }
        var details = new Dictionary<string, object> { ["config"] = preset, ["device"] = device.ToString(), ["parameters"] = (double)model.parameters().Sum(p => p.numel()), ["steps"] = steps, ["rounds"] = rounds };
        yield return new BenchFigure("adamw.fused_ms", best["fused"] * 1000, "ms/step", details);
        yield return new BenchFigure("adamw.torchsharp_ms", best["loop"] * 1000, "ms/step", details);
        yield return new BenchFigure("adamw.speedup", best["loop"] / best["fused"], "x", details);
    }

    private static void Sync(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) TorchSharp.torch.cuda.synchronize(device);
    }
}
