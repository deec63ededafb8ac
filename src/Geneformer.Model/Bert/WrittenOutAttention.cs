using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>
/// Attention written out, for the one case where libtorch's fused scaled-dot-product attention is slow: training
/// (attention dropout on) in bf16 on the CPU. There SDPA can only take its math path, which upcasts bf16 to fp32 and
/// runs at about half the speed of this bf16 form. Same math as SDPA with a key padding mask: softmax(q kᵀ / √d) over the
/// keys the mask keeps (softmax in fp32), dropout on the probabilities, times v. A row whose keys are all masked (a cell
/// with no token) gets uniform weights instead of SDPA's zeros: its outputs are finite and no loss reads them.
/// </summary>
public static class WrittenOutAttention
{
    /// <summary>Masked keys get this score: exp of it underflows to exactly 0 next to any real key, and it stays finite in bf16.</summary>
    private const double MaskedScore = -1e9;

    /// <summary>Whether to use <see cref="Forward"/> instead of SDPA: CPU, bf16, dropout on.</summary>
    public static bool Preferred(DeviceType device, ScalarType computeType, double dropout) =>
        device == DeviceType.CPU && computeType == ScalarType.BFloat16 && dropout > 0;

    /// <param name="q">[B, H, S, D]</param>
    /// <param name="k">[B, H, S, D]</param>
    /// <param name="v">[B, H, S, D]</param>
    /// <param name="keyMask">[B, 1, 1, S] bool, true = attend; null = every key is real</param>
    /// <param name="dropout">probability of dropping an attention weight (0 = none)</param>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, Tensor? keyMask, double dropout)
    {
        using var scope = NewDisposeScope();
        var scores = matmul(q, k.transpose(-1, -2)).mul(1 / Math.Sqrt(q.shape[^1]));
        if (keyMask is not null) scores = scores.masked_fill(keyMask.logical_not(), MaskedScore);
        var probs = nn.functional.softmax(scores, -1, ScalarType.Float32).to(q.dtype);
        if (dropout > 0) probs = nn.functional.dropout(probs, dropout, training: true);
        return scope.MoveToOuter(matmul(probs, v));
    }
}
