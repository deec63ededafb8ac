namespace Geneformer.Data.Corpus;

/// <summary>How cells were split: strategy ("by-dataset" or "by-cell"), the hold-out fraction and datasets, and why.</summary>
public sealed record SplitPlanInfo(string Strategy, double HoldoutFraction, double ValidationShareOfHoldout, IReadOnlyList<string> WholeTestDatasets, IReadOnlyList<string> CellSplitDatasets, string Note);
