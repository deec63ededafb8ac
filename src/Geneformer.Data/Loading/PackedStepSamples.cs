namespace Geneformer.Data.Loading;

/// <summary>
/// Packed micro batches of one step. The step's cells (stream positions <c>[s*G, (s+1)*G)</c> of
/// <see cref="GlobalSampleOrder"/>, as always) are sorted longest first, ties by stream position, and packed first-fit
/// into chunks of at most the token budget. The chunks depend only on the step's cells and the budget, never on the
/// world size, so chunk <c>c</c> is the same cells (and draws the same dropout) at any world size. Chunks go to ranks
/// longest first, each to the rank with the fewest tokens so far (ties: the lowest rank), so ranks get nearly equal
/// token counts.
/// </summary>
public static class PackedStepSamples
{
    /// <summary>Every chunk of step <paramref name="step"/>, in chunk order.</summary>
    public static (long Cell, long Epoch)[][] Chunks(GlobalSampleOrder order, Func<long, int> length, long globalBatch, long step, int budget)
    {
        var first = step * globalBatch;
        var cells = new (long Cell, long Epoch)[globalBatch];
        var lengths = new int[globalBatch];
        for (var k = 0; k < cells.Length; k++)
        {
            cells[k] = order.At(first + k);
            lengths[k] = length(cells[k].Cell);
            if (lengths[k] > budget)
                throw new ArgumentException($"a cell of {lengths[k]} tokens does not fit a packed micro batch of {budget} tokens; the budget must be at least max_length");
        }
        var bins = new List<List<int>>();
        var free = new List<int>();
        foreach (var k in Enumerable.Range(0, cells.Length).OrderByDescending(k => lengths[k])) // stable: ties keep stream order
        {
            var bin = free.FindIndex(f => f >= lengths[k]);
            if (bin < 0)
            {
                bins.Add([]);
                free.Add(budget);
                bin = bins.Count - 1;
            }
            bins[bin].Add(k);
            free[bin] -= lengths[k];
        }
        return bins.Select(b => b.Select(k => cells[k]).ToArray()).ToArray();
    }

    /// <summary>The chunks rank <paramref name="rank"/> of <paramref name="worldSize"/> computes, in chunk order.</summary>
    /// <param name="chunkTokens">each chunk's token count</param>
    public static int[] ChunksOf(IReadOnlyList<long> chunkTokens, int worldSize, int rank)
    {
        var load = new long[worldSize];
        var mine = new List<int>();
        foreach (var c in Enumerable.Range(0, chunkTokens.Count).OrderByDescending(c => chunkTokens[c]))
        {
            var owner = Array.IndexOf(load, load.Min());
            load[owner] += chunkTokens[c];
            if (owner == rank) mine.Add(c);
        }
        mine.Sort();
        return [.. mine];
    }
}
