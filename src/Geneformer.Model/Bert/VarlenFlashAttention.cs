using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>
/// Variable-length flash attention over packed cells: libtorch's <c>_flash_attention_forward</c> with
/// <c>cu_seqlens</c>, which keeps each cell's attention to its own tokens and spends nothing on padding (the way
/// MosaicBERT and ModernBERT train). TorchSharp has no binding for it, so it is reached through a TorchScript
/// function; autograd runs its registered backward (<c>_flash_attention_backward</c>). CUDA only, bf16 or fp16.
/// </summary>
public static class VarlenFlashAttention
{
    private const string Script = """
        def varlen(q: Tensor, k: Tensor, v: Tensor, cu_seqlens: Tensor, max_len: int, dropout: float) -> Tensor:
            out = torch._flash_attention_forward(q, k, v, cu_seqlens, cu_seqlens, max_len, max_len, dropout, False, False)
            return out[0]
        """;

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => jit.compile(Script + "\n"));

    /// <summary>Whether the kernel can run here: CUDA, half precision, a head size flash attention supports.</summary>
    public static bool Supported(DeviceType device, ScalarType dtype, long headDim) =>
        device == DeviceType.CUDA && dtype is ScalarType.BFloat16 or ScalarType.Float16 && headDim % 8 == 0 && headDim <= 256;

    /// <summary>Compiles the script (done once, on first use); throws when this libtorch lacks the kernel's schema.</summary>
    public static void EnsureCompiled() => _ = Unit.Value;

    /// <param name="q">[T, heads, headDim]</param>
    /// <param name="k">[T, heads, headDim]</param>
    /// <param name="v">[T, heads, headDim]</param>
    /// <returns>[T, heads, headDim]</returns>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, PackedCells cells, double dropout)
    {
        // Numbers go to TorchScript as Scalars we hold: TorchSharp's invoke turns a bare double or long into a Scalar it
        // drops at once, which the finalizer may free while the call still reads it.
        using var maxLength = ((long)cells.MaxLength).ToScalar();
        using var p = dropout.ToScalar();
        return (Tensor)Unit.Value.invoke("varlen", q, k, v, cells.CuSeqLens, maxLength, p);
    }
}
