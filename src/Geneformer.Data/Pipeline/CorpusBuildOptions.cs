using Geneformer.Data.Medians;
using Geneformer.Data.Tokenization;

namespace Geneformer.Data.Pipeline;

/// <summary>Settings of <see cref="CorpusBuilder"/> (the <c>geneformer prepare</c> options).</summary>
public sealed record CorpusBuildOptions
{
    /// <summary>Input files, 10x folders, or folders of them (expanded by <see cref="CorpusInputs.Expand"/>).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }
    public required string Output { get; init; }
    /// <summary>Token dictionary (.tsv or .pkl); null = computed from the training split.</summary>
    public string? VocabularyPath { get; init; }
    /// <summary>Median dictionary (.tsv or .pkl); null = computed over the training split.</summary>
    public string? MediansPath { get; init; }
    /// <summary>Symbol → Ensembl dictionary the file opener maps gene ids with (recorded in the manifest); null = none.</summary>
    public string? GeneSymbolsPath { get; init; }
    public TokenMode TokenMode { get; init; } = TokenMode.V1;
    /// <summary>Null = the mode's default (2048, or 4096 for v2).</summary>
    public int? MaxLength { get; init; }
    public CellFilterOptions Filter { get; init; } = CellFilterOptions.CellxGene;
    public ulong Seed { get; init; } = 42;
    public MedianMethod MedianMethod { get; init; } = MedianMethod.Auto;
    public long RowsPerShard { get; init; } = 250_000;
    public int BatchRows { get; init; } = 8192;
    public int CellsPerBlock { get; init; } = 1024;
    /// <summary>Threads that add each block's values to the medians and tokenize it; the corpus is byte-identical for any count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    public double HoldoutFraction { get; init; } = 0.01;
    public double ValidationShareOfHoldout { get; init; } = 0.5;
    /// <summary>Replace an existing output directory (atomically) instead of refusing.</summary>
    public bool Overwrite { get; init; }
}
