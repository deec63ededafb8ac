using Geneformer.Data.Matrix;

namespace Geneformer.Data.Medians;

/// <summary>
/// Adds the normalised non-zero values of a block's cells (count / cell total x target sum) to one accumulator on
/// several threads. Thread t owns the genes g with g mod threads = t, so no two threads touch the same gene, the
/// accumulator needs no lock, and every gene receives its values in input order: the medians are the same for any
/// thread count. Adding is the costly part (a random gene's buckets each time); every thread scans the whole block.
/// </summary>
public sealed class ParallelMedianAdder
{
    private readonly IMedianAccumulator accumulator;
    private readonly double targetSum;
    private readonly int threads;

    public ParallelMedianAdder(IMedianAccumulator accumulator, double targetSum, int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "median threads must be at least 1");
        (this.accumulator, this.targetSum, this.threads) = (accumulator, targetSum, threads);
    }

    /// <param name="genes">accumulator gene of each column of the block (-1: not counted)</param>
    /// <param name="geneCount">more than the largest entry of <paramref name="genes"/></param>
    /// <param name="totals">each cell's total count; NaN for a cell that is not counted</param>
    public void Add(CellBlock block, int[] genes, int geneCount, double[] totals)
    {
        accumulator.Reserve(geneCount);
        if (threads == 1) AddOwned(block, genes, totals, 0);
        else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => AddOwned(block, genes, totals, t));
    }

    private void AddOwned(CellBlock block, int[] genes, double[] totals, int owner)
    {
        for (int c = 0; c < block.CellCount; c++)
        {
            var total = totals[c];
            if (double.IsNaN(total)) continue;
            for (int j = block.IndPtr[c]; j < block.IndPtr[c + 1]; j++)
            {
                var g = genes[block.GeneIndices[j]];
                var x = block.Values[j];
                if (g >= 0 && g % threads == owner && x > 0) accumulator.Add(g, x / total * targetSum);
            }
        }
    }
}
