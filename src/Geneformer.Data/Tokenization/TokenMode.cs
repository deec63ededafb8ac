namespace Geneformer.Data.Tokenization;

/// <summary>How a cell becomes a token sequence (special tokens and maximum length).</summary>
public enum TokenMode
{
    /// <summary>Geneformer V1: genes only, at most 2048 tokens.</summary>
    V1,
    /// <summary>NVIDIA BioNeMo: <c>&lt;cls&gt;</c> then genes, at most 2048 tokens in all.</summary>
    BioNeMo,
    /// <summary>Geneformer V2: <c>&lt;cls&gt;</c>, genes, <c>&lt;eos&gt;</c>, at most 4096 tokens in all.</summary>
    V2,
}
