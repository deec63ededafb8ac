using Geneformer.TestSupport;
using Geneformer.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training.Tests;

/// <summary>The fused AdamW makes TorchSharp's AdamW update, keeps its state, and reads and writes its checkpoints.</summary>
[Collection(nameof(GlobalTorchRng))]
public class FusedAdamWTests
{
    private sealed class TwoLayers : nn.Module
    {
        public readonly Linear first = nn.Linear(12, 16);
        public readonly LayerNorm norm = nn.LayerNorm(16);
        public readonly Linear second = nn.Linear(16, 5);

        public TwoLayers(int seed) : base(nameof(TwoLayers))
        {
            RegisterComponents();
            manual_seed(seed);
            using var noGrad = no_grad();
            foreach (var (_, p) in named_parameters()) p.copy_(randn_like(p) * 0.3);
        }

        public Tensor Loss(Tensor x) => second.forward(nn.functional.relu(norm.forward(first.forward(x)))).pow(2).mean();
    }

    private static AdamW.ParamGroup[] Groups(TwoLayers m) =>
    [
        new(m.named_parameters().Where(p => OptimizerFactory.DecaysWeight(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = 0.01, weight_decay = 0.1 }),
        new(m.named_parameters().Where(p => !OptimizerFactory.DecaysWeight(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = 0.01, weight_decay = 0.0 }),
    ];

    private static AdamW Plain(TwoLayers m) => optim.AdamW(Groups(m), lr: 0.01, beta1: 0.9, beta2: 0.98, eps: 1e-8, weight_decay: 0.1);
    private static AdamW Fused(TwoLayers m) => Optim.Fused.AdamW.Create(Groups(m), 0.01, 0.9, 0.98, 1e-8, 0.1);

    private static void Steps(TwoLayers m, AdamW o, int from, int count)
    {
        for (var s = from; s < from + count; s++)
        {
            using var scope = NewDisposeScope();
            manual_seed(1000 + s);
            var x = randn(8, 12);
            o.zero_grad();
            m.Loss(x).backward();
            if (s % 3 == 2) foreach (var g in o.ParamGroups) g.LearningRate *= 0.5; // a schedule: the rate changes between steps
            o.step();
        }
    }

    private static void AssertSameWeights(TwoLayers a, TwoLayers b, double tolerance)
    {
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            var diff = (pa - pb).abs().max().item<float>();
            Assert.True(diff <= tolerance, $"{name}: fused and TorchSharp AdamW differ by {diff}");
        }
    }

    [Fact]
    public void Makes_the_update_torchsharps_adamw_makes_with_weight_decay_groups_and_a_changing_rate()
    {
        using var a = new TwoLayers(3);
        using var b = new TwoLayers(3);
        using var plain = Plain(a);
        using var fused = Fused(b);
        Steps(a, plain, 0, 6);
        Steps(b, fused, 0, 6);
        AssertSameWeights(a, b, 1e-6);
        using var untouched = new TwoLayers(3);
        Assert.True((untouched.first.weight! - b.first.weight!).abs().max().item<float>() > 1e-3, "the weights moved");
    }

    [Fact]
    public void Checkpoints_of_either_resume_in_the_other()
    {
        using var tmp = new TempDir();
        using var reference = new TwoLayers(5);
        using (var o = Plain(reference)) Steps(reference, o, 0, 6);
        using var viaFused = ResumedThrough(Fused, Plain, tmp["fused.bin"]);
        AssertSameWeights(reference, viaFused, 1e-6);
        using var viaPlain = ResumedThrough(Plain, Fused, tmp["plain.bin"]);
        AssertSameWeights(reference, viaPlain, 1e-6);
    }

    /// <summary>Three steps with one optimizer, its state saved to <paramref name="file"/> and loaded into the other, three more steps.</summary>
    private static TwoLayers ResumedThrough(Func<TwoLayers, AdamW> first, Func<TwoLayers, AdamW> second, string file)
    {
        var model = new TwoLayers(5);
        using (var o = first(model))
        {
            Steps(model, o, 0, 3);
            o.save_state_dict(file);
        }
        using (var o = second(model))
        {
            o.load_state_dict(file);
            Steps(model, o, 3, 3);
        }
        return model;
    }
}
