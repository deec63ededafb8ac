namespace Geneformer.Data.Matrix;

/// <summary>How <see cref="CellSources.Open"/> reads a file.</summary>
public sealed record CellSourceOptions
{
    public static CellSourceOptions Default { get; } = new();

    /// <summary>
    /// Which AnnData matrix to read: "auto" (<c>raw/X</c> when present, where CELLxGENE keeps raw counts, else <c>X</c>),
    /// "X", "raw", or "layer:NAME" (<c>layers/NAME</c>). 10x inputs have one matrix and accept "auto" or "X".
    /// </summary>
    public string Matrix { get; init; } = "auto";

    /// <summary>
    /// The var column holding gene ids (e.g. "feature_id", "gene_ids"); null = the var index. For 10x inputs: null or
    /// "gene_ids" = the Ensembl id column, "gene_symbols" = the symbol column.
    /// </summary>
    public string? GeneIdColumn { get; init; }

    /// <summary>
    /// Optional symbol → Ensembl id map applied to the gene ids. Ids it does not contain are kept as they are, so
    /// columns stay aligned with the matrix; the tokenizer then drops genes that are not in its vocabulary.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SymbolToEnsembl { get; init; }

    /// <summary>
    /// Negative values are an error by default (expression must be counts or normalised counts); set this to read
    /// scaled or centred matrices anyway. NaN and infinity are always an error.
    /// </summary>
    public bool AllowNegativeValues { get; init; }
}
