using Geneformer.Data.Loading;
using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Training;

/// <summary>Masked-token cross-entropy of a collated micro batch: what validation and <c>eval mlm</c> both compute.</summary>
public static class MaskedLmScorer
{
    public static (Tensor Ids, Tensor Mask, Tensor Positions, Tensor Labels) ToTensors(MicroBatch m, Device device) => (
        tensor(m.InputIds, [m.Batch, m.SeqLen]).to(device),
        tensor(m.AttentionMask, [m.Batch, m.SeqLen]).to(device),
        tensor(m.MaskedPositions).to(device),
        tensor(m.Labels).to(device));

    /// <summary>Summed (not averaged) cross-entropy over the batch's masked tokens; 0 when none is masked. Call under no_grad.</summary>
    public static double SumCrossEntropy(BertForMaskedLM model, MicroBatch micro, Device device)
    {
        if (micro.Labels.Length == 0) return 0;
        using var scope = NewDisposeScope();
        var (ids, mask, positions, labels) = ToTensors(micro, device);
        var logits = model.Forward(ids, mask, positions).Logits!;
        return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
    }
}
