using Geneformer.Data.Corpus;

namespace Geneformer.Data.Pipeline;

/// <summary>Which split each cell goes to, decided per dataset_id and, for hold-out datasets, per cell id (seeded hash).</summary>
public sealed class SplitPlan
{
    private readonly ulong seed;
    private readonly HashSet<string> wholeTest;
    private readonly HashSet<string> cellSplit;
    private readonly bool everythingByCell;

    public SplitPlanInfo Info { get; }

    internal SplitPlan(ulong seed, SplitPlanInfo info, bool everythingByCell)
    {
        this.seed = seed;
        Info = info;
        this.everythingByCell = everythingByCell;
        wholeTest = new HashSet<string>(info.WholeTestDatasets, StringComparer.Ordinal);
        cellSplit = new HashSet<string>(info.CellSplitDatasets, StringComparer.Ordinal);
    }

    public SplitKind Assign(string datasetId, string cellId)
    {
        if (wholeTest.Contains(datasetId)) return SplitKind.Test;
        if (!everythingByCell && !cellSplit.Contains(datasetId)) return SplitKind.Train;
        var u = StableHash.Unit(StableHash.Of(seed, datasetId + "\u001f" + cellId));
        if (everythingByCell)
        {
            // hold out HoldoutFraction of the cells, shared between validation and test
            if (u >= Info.HoldoutFraction) return SplitKind.Train;
            u /= Info.HoldoutFraction;
        }
        return u < Info.ValidationShareOfHoldout ? SplitKind.Validation : SplitKind.Test;
    }
}
