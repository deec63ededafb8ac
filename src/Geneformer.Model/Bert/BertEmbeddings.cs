using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Word + learned absolute position (+ optional token-type) embeddings, LayerNorm, dropout.</summary>
public sealed class BertEmbeddings : nn.Module
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly double eps;
    private readonly ComputePrecision precision;

    public BertEmbeddings(BertConfig config, ComputePrecision precision) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositions, config.HiddenSize);
        if (config.TypeVocabSize > 0)
            token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        eps = config.LayerNormEps;
        this.precision = precision;
        RegisterComponents();
    }

    public Parameter WordEmbeddingWeight => word_embeddings.weight!;

    /// <param name="inputIds">[B, S] padded cells, or [T] packed ones</param>
    /// <param name="positionIds">each token's position in its cell, shaped as <paramref name="inputIds"/>; null for [B, S] cells that start at position 0</param>
    public Tensor Forward(Tensor inputIds, Tensor? positionIds = null)
    {
        using var scope = NewDisposeScope();
        var positions = positionIds is not null ? position_embeddings.forward(positionIds)
            : position_embeddings.forward(arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device)).unsqueeze(0);
        var x = word_embeddings.forward(inputIds) + positions;
        if (token_type_embeddings is not null)
            x = x + token_type_embeddings.weight![0]; // Geneformer has one segment: token type 0
        x = dropout.forward(precision.LayerNorm(x, LayerNorm, eps));
        return scope.MoveToOuter(x);
    }
}
