using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>
/// Multi-head self-attention (Hugging Face <c>attention.self</c>). The query, key and value projections keep their
/// own parameters (and names) but run as one matrix product over their concatenated weights. Padded batches take
/// fused scaled-dot-product attention with a key padding mask (written out for bf16 training on CPU:
/// <see cref="WrittenOutAttention"/>); packed cells take variable-length flash attention where it runs, and are
/// otherwise laid out padded for attention alone.
/// </summary>
public sealed class BertSelfAttention : nn.Module
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int heads;
    private readonly int headDim;
    private readonly double dropoutP;
    private readonly ComputePrecision precision;

    public BertSelfAttention(BertConfig config, ComputePrecision precision) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        heads = config.NumHeads;
        headDim = config.HeadDim;
        dropoutP = config.AttentionDropout;
        this.precision = precision;
        RegisterComponents();
    }

    /// <param name="hidden">[B, S, H] padded cells, or [T, H] packed ones</param>
    /// <param name="keyMask">padded: [B, 1, 1, S] bool, true = attend; null = every key is real</param>
    /// <param name="packed">where the cells lie when <paramref name="hidden"/> is packed; null when padded</param>
    /// <returns>the attention context, shaped as <paramref name="hidden"/></returns>
    public Tensor Forward(Tensor hidden, Tensor? keyMask, PackedCells? packed = null)
    {
        using var scope = NewDisposeScope();
        var tokens = hidden.shape[..^1];
        var qkv = precision.Linear(hidden, cat([query.weight!, key.weight!, value.weight!]), cat([query.bias!, key.bias!, value.bias!]))
            .view([.. tokens, 3, heads, headDim]).unbind(-3); // each [..., heads, headDim]
        var dropout = training ? dropoutP : 0.0;
        var context = packed is null ? Padded(qkv[0], qkv[1], qkv[2], keyMask, dropout) : Packed(qkv[0], qkv[1], qkv[2], packed, dropout);
        return scope.MoveToOuter(context.reshape([.. tokens, heads * headDim]));
    }

    /// <param name="q">[B, S, heads, headDim] (as are k and v)</param>
    /// <returns>[B, S, heads, headDim]</returns>
    private static Tensor Padded(Tensor q, Tensor k, Tensor v, Tensor? keyMask, double dropout)
    {
        var (qh, kh, vh) = (q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)); // [B, heads, S, headDim]
        var context = WrittenOutAttention.Preferred(qh.device_type, qh.dtype, dropout)
            ? WrittenOutAttention.Forward(qh, kh, vh, keyMask, dropout)
            : nn.functional.scaled_dot_product_attention(qh, kh, vh, keyMask, dropout, false);
        return context.transpose(1, 2);
    }

    /// <param name="q">[T, heads, headDim] (as are k and v)</param>
    /// <returns>[T, heads, headDim]</returns>
    private Tensor Packed(Tensor q, Tensor k, Tensor v, PackedCells cells, double dropout)
    {
        if (VarlenFlashAttention.Supported(q.device_type, q.dtype, headDim))
            return VarlenFlashAttention.Forward(q, k, v, cells, dropout);
        var slots = (long)cells.Count * cells.MaxLength;
        Tensor ToPadded(Tensor x) =>
            zeros([slots, heads, headDim], x.dtype, x.device).index_copy(0, cells.PadIndex, x).view(cells.Count, cells.MaxLength, heads, headDim);
        var context = Padded(ToPadded(q), ToPadded(k), ToPadded(v), cells.KeyMask, dropout);
        return context.reshape(slots, heads, headDim).index_select(0, cells.PadIndex);
    }
}
