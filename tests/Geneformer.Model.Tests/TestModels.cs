using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

internal static class TestModels
{
    public static BertConfig Small(string act = "relu") => new()
    {
        VocabSize = 50, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 16, HiddenAct = act,
    };

    /// <summary>A model with non-trivial random weights (LayerNorm and biases perturbed too), seeded.</summary>
    public static BertForMaskedLM Random(BertConfig config, int seed = 1, ComputePrecision? precision = null)
    {
        manual_seed(seed);
        var model = new BertForMaskedLM(config, precision);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
            p.add_(randn_like(p) * (name.Contains("LayerNorm") || name.EndsWith("bias") ? 0.1 : 0.3));
        model.eval();
        return model;
    }

    /// <summary>Batch of 3 cells of lengths 16, 9 and 4, padded with token 0.</summary>
    public static (Tensor Ids, Tensor Mask) PaddedBatch(int vocab, int seqLen = 16, int seed = 5)
    {
        var g = new Generator((ulong)seed);
        var ids = randint(2, vocab, [3, seqLen], dtype: ScalarType.Int64, generator: g);
        var mask = ones([3, seqLen], dtype: ScalarType.Int64);
        mask[1, TensorIndex.Slice(9)] = 0;
        mask[2, TensorIndex.Slice(4)] = 0;
        ids = ids * mask;
        return (ids, mask);
    }
}
