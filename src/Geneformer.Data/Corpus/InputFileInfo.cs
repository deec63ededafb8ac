namespace Geneformer.Data.Corpus;

/// <summary>One input: cells in it, cells that passed the filters, of those the ones dropped for having no vocabulary gene expressed.</summary>
public sealed record InputFileInfo(string Path, string Sha256, long Cells, long KeptCells, long EmptyCells, IReadOnlyList<string> FiltersNotApplied);
