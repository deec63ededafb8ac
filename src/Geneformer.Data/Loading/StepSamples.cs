namespace Geneformer.Data.Loading;

/// <summary>
/// Which cells each micro batch of one rank holds in one step. The cells of global batch <c>s</c> are always the
/// stream positions <c>[s*G, (s+1)*G)</c> of <see cref="GlobalSampleOrder"/>, and the step's gradient is their sum
/// whoever computes them; only the dealing into micro batches differs:
/// <list type="bullet">
/// <item>in stream order, micro batch <c>a</c> of rank <c>r</c> takes positions <c>s*G + (a*world + r)*micro</c> onwards;</item>
/// <item>length-grouped, the step's cells are sorted longest first (ties by stream position) and cut into chunks of
/// <c>micro</c>, so each micro batch pads only to cells of nearly its own length. Chunk <c>c</c> goes to round
/// <c>a = c / world</c>; the ranks take a round's chunks in rank order on even rounds and in reverse on odd ones, so no
/// rank is always dealt the longest chunk of its round (the slowest rank sets the step time).</item>
/// </list>
/// Both are the same for any world size with the same micro batch: the same chunks exist, only their owner changes.
/// </summary>
public static class StepSamples
{
    public static (long Cell, long Epoch)[][] Of(GlobalSampleOrder order, Func<long, int> length, BatchGeometry g, int rank, long step, bool lengthGrouped)
    {
        var first = step * g.GlobalBatch;
        var micro = new (long Cell, long Epoch)[g.Accumulation][];
        if (!lengthGrouped)
        {
            for (var a = 0; a < g.Accumulation; a++)
            {
                var start = first + ChunkOf(g, rank, a, lengthGrouped) * g.MicroBatch;
                micro[a] = Enumerable.Range(0, g.MicroBatch).Select(j => order.At(start + j)).ToArray();
            }
            return micro;
        }

        var cells = new (long Cell, long Epoch)[g.GlobalBatch];
        var lengths = new int[g.GlobalBatch];
        for (var k = 0; k < cells.Length; k++)
        {
            cells[k] = order.At(first + k);
            lengths[k] = length(cells[k].Cell);
        }
        var sorted = Enumerable.Range(0, cells.Length).OrderByDescending(k => lengths[k]).ToArray(); // stable: ties keep stream order
        for (var a = 0; a < g.Accumulation; a++)
        {
            var chunk = ChunkOf(g, rank, a, lengthGrouped);
            micro[a] = Enumerable.Range(0, g.MicroBatch).Select(j => cells[sorted[chunk * g.MicroBatch + j]]).ToArray();
        }
        return micro;
    }

    /// <summary>
    /// Which of the step's <c>Accumulation x WorldSize</c> micro batches rank <paramref name="rank"/> computes as its
    /// micro batch <paramref name="a"/>: the same chunk holds the same cells at any world size.
    /// </summary>
    public static long ChunkOf(BatchGeometry g, int rank, int a, bool lengthGrouped)
    {
        var seat = lengthGrouped && a % 2 == 1 ? g.WorldSize - 1 - rank : rank;
        return (long)a * g.WorldSize + seat;
    }
}
