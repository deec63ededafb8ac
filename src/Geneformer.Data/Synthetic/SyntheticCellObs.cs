namespace Geneformer.Data.Synthetic;

internal sealed record SyntheticCellObs(string CellId, int CellTypeIndex, string Tissue, string Donor, string Sex, string DevelopmentStage,
    string Ethnicity, bool IsPrimary, string Disease, string SuspensionType);
