using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Multi-head self-attention (Hugging Face <c>attention.self</c>): fused scaled-dot-product attention with a key padding mask (written out for bf16 training on CPU: <see cref="WrittenOutAttention"/>).</summary>
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

    /// <param name="hidden">[B, S, H]</param>
    /// <param name="keyMask">[B, 1, 1, S] bool, true = attend; null = every key is real</param>
    public Tensor Forward(Tensor hidden, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        var (b, s) = (hidden.shape[0], hidden.shape[1]);
        Tensor Heads(Linear proj) =>
            precision.Linear(hidden, proj.weight!, proj.bias).view(b, s, heads, headDim).transpose(1, 2);
        var (q, k, v) = (Heads(query), Heads(key), Heads(value));
        var dropout = training ? dropoutP : 0.0;
        var context = WrittenOutAttention.Preferred(q.device_type, q.dtype, dropout)
            ? WrittenOutAttention.Forward(q, k, v, keyMask, dropout)
            : nn.functional.scaled_dot_product_attention(q, k, v, keyMask, dropout, false);
        var merged = context.transpose(1, 2).reshape(b, s, heads * headDim);
        return scope.MoveToOuter(merged);
    }
}
