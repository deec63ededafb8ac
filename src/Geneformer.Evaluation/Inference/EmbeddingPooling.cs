namespace Geneformer.Evaluation.Inference;

/// <summary>How a cell's hidden states become its embedding.</summary>
public enum EmbeddingPooling
{
    /// <summary>Mean over the cell's gene tokens (not padding, not special tokens).</summary>
    Mean,
    /// <summary>The hidden state of the leading CLS token (modes bionemo and v2 only).</summary>
    Cls,
    /// <summary>One vector per gene token, in rank order.</summary>
    Genes,
}
