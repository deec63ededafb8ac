namespace Geneformer.Data.Corpus;

public sealed record DatasetCounts(string DatasetId, long Cells, long Train, long Validation, long Test, IReadOnlyList<string> Assays, IReadOnlyList<string> Tissues);
