namespace Geneformer.Data.Loading;

/// <summary>
/// Batches of cells to score without gradients (held-out MLM loss): sorted by length, longest first (ties by cell
/// index), so each batch pads only to cells of nearly its own length. A sum over the cells does not depend on their
/// order, and masking depends on the cell, not its batch, so the figure is the one in-order batches give, up to float
/// rounding, at a fraction of the padding.
/// </summary>
public static class ScoringBatches
{
    public static IEnumerable<(long Cell, long Epoch)[]> Of(IEnumerable<long> cells, Func<long, int> length, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sorted = cells.Select(c => (Cell: c, Length: length(c))).OrderByDescending(x => x.Length).ThenBy(x => x.Cell).Select(x => x.Cell).ToArray();
        for (var start = 0; start < sorted.Length; start += batchSize)
            yield return sorted[start..Math.Min(sorted.Length, start + batchSize)].Select(c => (c, 0L)).ToArray();
    }
}
