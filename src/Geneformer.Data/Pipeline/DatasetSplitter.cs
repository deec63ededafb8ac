using Geneformer.Data.Corpus;

namespace Geneformer.Data.Pipeline;

/// <summary>
/// Splits by dataset_id, as the architecture asks: about <c>holdoutFraction</c> of the datasets (at least 2)
/// are held out, chosen in seeded random order among those whose every assay and tissue_general value
/// also occurs in a dataset kept for training. The first held-out dataset goes whole to test; the cells of
/// the others go to validation or test by a seeded hash of the cell id. With fewer than
/// <see cref="MinDatasetsForDatasetSplit"/> datasets, or when no dataset can be held out without losing an
/// assay or tissue from train, every dataset is split by cell instead (holdoutFraction of its cells held out).
/// </summary>
public static class DatasetSplitter
{
    public const int MinDatasetsForDatasetSplit = 3;

    public static SplitPlan Plan(IReadOnlyList<DatasetSummary> datasets, ulong seed, double holdoutFraction = 0.01, double validationShare = 0.5)
    {
        if (holdoutFraction is <= 0 or >= 1) throw new ArgumentException($"hold-out fraction {holdoutFraction} must be in (0, 1)");
        if (validationShare is < 0 or > 1) throw new ArgumentException($"validation share {validationShare} must be in [0, 1]");
        var ordered = datasets.OrderBy(d => d.DatasetId, StringComparer.Ordinal).ToList();

        SplitPlan ByCell(string why) => new(seed, new SplitPlanInfo("by-cell", holdoutFraction, validationShare, [], [], why), everythingByCell: true);

        if (ordered.Count < MinDatasetsForDatasetSplit)
            return ByCell($"{ordered.Count} dataset(s) < {MinDatasetsForDatasetSplit}: every dataset's cells are split by seeded cell hash ({holdoutFraction:P1} held out, validation share {validationShare:P0})");

        var target = Math.Max(2, (int)Math.Round(ordered.Count * holdoutFraction));
        var assayCount = Count(ordered.SelectMany(d => d.Assays));
        var tissueCount = Count(ordered.SelectMany(d => d.Tissues));
        var shuffled = ordered.ToList();
        StableHash.Shuffle(shuffled, seed);
        var held = new List<string>();
        foreach (var d in shuffled)
        {
            if (held.Count == target) break;
            if (ordered.Count - held.Count <= 1) break; // keep at least one training dataset
            if (d.Assays.Any(a => assayCount[a] < 2) || d.Tissues.Any(t => tissueCount[t] < 2)) continue;
            foreach (var a in d.Assays) assayCount[a]--;
            foreach (var t in d.Tissues) tissueCount[t]--;
            held.Add(d.DatasetId);
        }

        if (held.Count == 0)
            return ByCell("no dataset can be held out without losing an assay or tissue_general value from train: every dataset's cells are split by seeded cell hash");
        if (held.Count == 1)
            return new SplitPlan(seed, new SplitPlanInfo("by-dataset", holdoutFraction, validationShare, [], held,
                "only one dataset could be held out while keeping every assay and tissue_general in train: its cells are split between validation and test by cell; no whole test dataset"), everythingByCell: false);
        return new SplitPlan(seed, new SplitPlanInfo("by-dataset", holdoutFraction, validationShare, [held[0]], held.Skip(1).ToList(),
            $"{held.Count} of {ordered.Count} datasets held out (target {target}); the first goes whole to test, the others' cells are split between validation and test by seeded cell hash"), everythingByCell: false);
    }

    private static Dictionary<string, int> Count(IEnumerable<string> values)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts;
    }
}
