namespace Geneformer.Evaluation.Inference;

/// <param name="Layer">hidden-state index: -1 = last layer, 0 = the embedding layer's output, N = layer N's output; negative counts from the end</param>
/// <param name="BatchSize">cells per forward pass</param>
/// <param name="WindowCells">cells read, sorted by length and embedded together; bounds memory for files of any size</param>
public sealed record EmbeddingOptions(EmbeddingPooling Pooling = EmbeddingPooling.Mean, int Layer = EmbeddingOptions.DefaultLayer, int BatchSize = 16, int WindowCells = 4096)
{
    /// <summary>
    /// The second-to-last hidden state: Geneformer's own extractor default (its emb_layer=-1), which it recommends for
    /// pretrained models because the last layer is shaped most by the masked-gene objective.
    /// </summary>
    public const int DefaultLayer = -2;
}
