using static TorchSharp.torch;

namespace Geneformer.Evaluation.Inference;

/// <summary>How embeddings are computed without autograd, and the mean over a cell's gene tokens: shared by <see cref="CellEmbedder"/> and the embed benchmarks.</summary>
public static class MeanPooling
{
    /// <summary>
    /// Inference mode: like no_grad, and tensors made inside also skip version counting and view tracking.
    /// </summary>
    public static IDisposable NoAutograd() => inference_mode();

    /// <param name="states">[B, S, H] fp32 hidden states</param>
    /// <param name="geneMask">[B, S] bool, true at the gene tokens to average (not padding, not special tokens)</param>
    /// <returns>[B, H]; a row with no gene token is zero</returns>
    public static Tensor Over(Tensor states, Tensor geneMask)
    {
        var weights = geneMask.to(ScalarType.Float32).unsqueeze(-1);
        return (states * weights).sum(dim: 1) / weights.sum(dim: 1).clamp_min(1);
    }
}
