namespace Geneformer.Data.Pipeline;

/// <summary>Progress of a build: <paramref name="Stage"/> is "scan", "medians" or "tokenize".</summary>
public sealed record CorpusProgress(string Stage, int FileIndex, int FileCount, string File, long CellsDone, long CellsInFile);
