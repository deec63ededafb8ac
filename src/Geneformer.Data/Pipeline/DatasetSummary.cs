namespace Geneformer.Data.Pipeline;

/// <summary>What pass 1 learns about one dataset_id (kept cells only).</summary>
public sealed record DatasetSummary(string DatasetId, long Cells, IReadOnlySet<string> Assays, IReadOnlySet<string> Tissues);
