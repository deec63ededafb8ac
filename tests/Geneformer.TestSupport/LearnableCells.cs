namespace Geneformer.TestSupport;

/// <summary>Generated tokenized cells for trainer tests that need no corpus on disk (held by Geneformer.Data.Loading.InMemoryCells).</summary>
public static class LearnableCells
{
    /// <summary>
    /// Cells of a few "types": each type ranks its own gene program first, in a fixed order, then a noisy
    /// tail; lengths vary. Learnable, so the MLM loss must fall.
    /// </summary>
    public static int[][] Learnable(int count, int vocab, int seed, int types = 4, int minLen = 12, int maxLen = 24)
    {
        var rng = new Random(seed);
        var genes = Enumerable.Range(2, vocab - 2).ToArray();
        var programs = Enumerable.Range(0, types).Select(_ => genes.OrderBy(_ => rng.Next()).Take(maxLen).ToArray()).ToArray();
        var cells = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var program = programs[rng.Next(types)];
            var len = rng.Next(minLen, maxLen + 1);
            var core = len * 3 / 4;
            var tail = genes.Except(program.Take(core)).OrderBy(_ => rng.Next()).Take(len - core);
            cells[i] = program.Take(core).Concat(tail).ToArray();
        }
        return cells;
    }
}
