namespace Geneformer.Data.Synthetic;

/// <summary>Shape of a generated CELLxGENE-like corpus. Same options (seed included) = same corpus, bit for bit.</summary>
public sealed record SyntheticCorpusOptions
{
    public int Datasets { get; init; } = 8;
    public int CellsPerDataset { get; init; } = 500;
    /// <summary>Mean number of expressed (non-zero) genes per cell; each cell varies by up to ±20%.</summary>
    public int GenesPerCell { get; init; } = 2000;
    /// <summary>Genes in the matrix when <see cref="GeneIds"/> is null (ids are then generated).</summary>
    public int GeneCount { get; init; } = 25_000;
    /// <summary>Real-looking Ensembl ids to use (for example the gc30M token dictionary's genes); null = generate <c>ENSG…</c> ids.</summary>
    public IReadOnlyList<string>? GeneIds { get; init; }
    /// <summary>Genes of the program all cell types share, each type at fold changes of its own: the types differ in the order of these genes.</summary>
    public int ProgramGenes { get; init; } = 150;
    /// <summary>Marker genes each cell type raises and the others do not.</summary>
    public int MarkerGenes { get; init; } = 15;
    /// <summary>How many times more often a cell expresses a marker gene of its type than the gene's baseline.</summary>
    public double MarkerBoost { get; init; } = 30;
    /// <summary>Share of cells the CELLxGENE filters should drop (non-primary, diseased, suspension "na").</summary>
    public double FilteredOutFraction { get; init; } = 0.05;
    public ulong Seed { get; init; } = 1;
}
