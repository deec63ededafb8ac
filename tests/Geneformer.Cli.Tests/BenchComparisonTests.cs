using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>The stages that compare two ways of doing the same step: TorchSharp against eager PyTorch, the trainer against a bare step.</summary>
public class BenchComparisonTests
{
    private static readonly string[] Tiny = ["--model", "tiny", "--batch", "2", "--seq-len", "32", "--steps", "2", "--warmup", "1", "--rounds", "1", "--threads", "1", "--json"];

    [Fact]
    public void Pytorch_train_step_reports_both_speeds_their_ratio_and_where_each_spends_its_time()
    {
        var figures = BenchFigures.Parse(GeneformerProcess.Run(["bench", "--only", "pytorch-train-step", .. Tiny]));
        var ours = figures.Single("pytorch-train-step.torchsharp.tokens_per_s");
        var theirs = figures.Single("pytorch-train-step.pytorch.tokens_per_s");
        var speedup = figures.Single("pytorch-train-step.speedup");
        Assert.Equal(ours.Positive() / theirs.Positive(), speedup.Value(), 9);
        Assert.Equal(ours.Value(), speedup.Number("torchsharp_tokens_per_s"), 9);
        foreach (var side in new[] { ours, theirs })
        {
            Assert.Equal(32, side.Number("seq_len"));
            Assert.Equal(1, side.Number("threads"));
            foreach (var phase in new[] { "forward_s", "backward_s", "optimizer_s" }) Assert.True(side.Number(phase) > 0, phase);
        }
        Assert.Equal(1, theirs.Number("python_threads"));
        Assert.False(string.IsNullOrEmpty(theirs.GetProperty("blas").GetString()));
    }

    [Fact]
    public void Pytorch_embed_in_bf16_reports_cells_per_second_of_both_and_their_ratio()
    {
        var figures = BenchFigures.Parse(GeneformerProcess.Run(["bench", "--only", "pytorch-embed", "--precision", "bf16", .. Tiny]));
        var ours = figures.Single("pytorch-embed.torchsharp.cells_per_s");
        var theirs = figures.Single("pytorch-embed.pytorch.cells_per_s");
        var speedup = figures.Single("pytorch-embed.speedup");
        Assert.Equal(ours.Positive() / theirs.Positive(), speedup.Value(), 9);
        Assert.Equal(2.0, speedup.Number("target"));
        Assert.All(new[] { ours, theirs, speedup }, f => Assert.Equal("bf16", f.GetProperty("precision").GetString()));
    }

    [Fact]
    public void Trainer_overhead_is_computed_from_the_trainer_and_bare_step_speeds()
    {
        var figures = BenchFigures.Parse(GeneformerProcess.Run(["bench", "--only", "trainer-overhead", .. Tiny]));
        var bare = figures.Single("trainer-overhead.bare.tokens_per_s").Positive();
        var trainer = figures.Single("trainer-overhead.trainer.tokens_per_s").Positive();
        var overhead = figures.Single("trainer-overhead.fraction");
        Assert.Equal(1 - trainer / bare, overhead.Value(), 9);
        Assert.True(double.IsFinite(overhead.Value()));
    }
}
