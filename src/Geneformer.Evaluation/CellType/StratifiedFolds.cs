namespace Geneformer.Evaluation.CellType;

/// <summary>Stratified k-fold assignment: each class's cells shuffled (seeded) and dealt round-robin, so every fold keeps the class proportions.</summary>
public static class StratifiedFolds
{
    /// <returns>the fold (0..k-1) of each cell</returns>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentException($"--folds {folds}: expected 2 or more");
        var fold = new int[labels.Count];
        var random = new Random(seed);
        var next = 0; // continue dealing across classes so small classes do not all start in fold 0
        foreach (var cls in labels.Distinct().Order())
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == cls).ToArray();
            random.Shuffle(members);
            foreach (var i in members) fold[i] = next++ % folds;
        }
        return fold;
    }
}
