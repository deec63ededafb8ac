namespace Geneformer.Data.Synthetic;

/// <summary>One generated dataset: a CELLxGENE dataset_id with one assay and one tissue_general.</summary>
public sealed record SyntheticDataset(int Index, string DatasetId, string Assay, string TissueGeneral, IReadOnlyList<string> Tissues, IReadOnlyList<string> CellTypes);
