using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>What a forward pass returns. Tensors belong to the caller's dispose scope.</summary>
/// <param name="LastHidden">[B, S, H] last layer's hidden states (compute dtype)</param>
/// <param name="AllHidden">every layer's output, index 0 = embeddings, when asked</param>
/// <param name="Logits">[N, V] fp32 logits at the selected positions only, when positions were given</param>
public sealed record MaskedLmOutput(Tensor LastHidden, Tensor[]? AllHidden, Tensor? Logits);
