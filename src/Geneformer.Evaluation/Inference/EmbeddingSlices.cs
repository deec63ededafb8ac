using Geneformer.Data.Matrix;

namespace Geneformer.Evaluation.Inference;

/// <summary>
/// Which contiguous cells each rank of a multi-process embedding run takes. When the file has at least as many
/// windows (of <c>--window</c> cells) as there are ranks, whole windows are shared out, so every window is the
/// one a single process would embed and every row has the bits a single process gives it (for the same thread
/// count). With fewer windows than ranks the cells are shared out evenly instead (so no rank idles), and rows
/// agree with a single process to float rounding (batches then group cells differently).
/// </summary>
public static class EmbeddingSlices
{
    public static CellRange ForRank(long cells, int windowCells, int rank, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cells);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowCells, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if (rank < 0 || rank >= ranks) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be 0..{ranks - 1}");
        var windows = (cells + windowCells - 1) / windowCells;
        if (windows >= ranks)
        {
            long firstWindow = windows * rank / ranks, endWindow = windows * (rank + 1) / ranks;
            var first = firstWindow * windowCells;
            return new CellRange(first, Math.Min(cells, endWindow * windowCells) - first);
        }
        long start = cells * rank / ranks, end = cells * (rank + 1) / ranks;
        return new CellRange(start, end - start);
    }

    /// <summary>True when <see cref="ForRank"/> shares out whole windows (rows bit-identical to one process).</summary>
    public static bool WindowAligned(long cells, int windowCells, int ranks) => (cells + windowCells - 1) / windowCells >= ranks;
}
