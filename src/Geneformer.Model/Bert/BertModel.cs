using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Hugging Face <c>BertModel</c> without the pooler: embeddings + encoder.</summary>
public sealed class BertModel : nn.Module
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;

    public BertModel(BertConfig config, ComputePrecision precision) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(config, precision);
        encoder = new BertEncoder(config, precision);
        RegisterComponents();
    }

    public Parameter WordEmbeddingWeight => embeddings.WordEmbeddingWeight;

    /// <param name="inputIds">[B, S] int64 token ids</param>
    /// <param name="attentionMask">[B, S] bool or integer, true/1 = real token, false/0 = padding; null when the batch has no padding (attention then needs no mask, and SDPA may take its flash kernel)</param>
    public (Tensor Last, Tensor[]? All) Forward(Tensor inputIds, Tensor? attentionMask, bool outputAllHidden = false)
    {
        using var scope = NewDisposeScope();
        var keyMask = attentionMask?.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // [B,1,1,S]: SDPA needs 4-D broadcasting
        var (last, all) = encoder.Forward(embeddings.Forward(inputIds), keyMask, null, outputAllHidden);
        scope.MoveToOuter(last);
        if (all is not null) scope.MoveToOuter(all);
        return (last, all);
    }

    /// <param name="inputIds">[T] int64 token ids of cells laid end to end, no padding</param>
    /// <param name="cells">where each cell lies in <paramref name="inputIds"/></param>
    /// <returns>[T, H] the last layer's hidden states</returns>
    public Tensor ForwardPacked(Tensor inputIds, PackedCells cells)
    {
        using var scope = NewDisposeScope();
        var (last, _) = encoder.Forward(embeddings.Forward(inputIds, cells.Positions), null, cells, outputAllHidden: false);
        return scope.MoveToOuter(last);
    }
}
