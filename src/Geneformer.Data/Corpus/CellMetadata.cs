namespace Geneformer.Data.Corpus;

/// <summary>What the corpus keeps about each cell besides its tokens (CELLxGENE obs columns; null where the file has none).</summary>
public sealed record CellMetadata(
    string CellId,
    string DatasetId,
    string? Assay,
    string? Sex,
    string? DevelopmentStage,
    string? TissueGeneral,
    string? SelfReportedEthnicity,
    string? CellType);
