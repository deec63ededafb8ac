namespace Geneformer.Cli.Commands;

/// <summary>Which matrix and gene id column the file readers should use (passed through to the opener).</summary>
public sealed record ReaderChoices(string? Matrix, string? GeneIdColumn, IReadOnlyDictionary<string, string>? SymbolToEnsembl);
