using Geneformer.Data.Matrix;

namespace Geneformer.Data.Medians;

/// <summary>
/// Adds the normalised non-zero values of a block's cells (count / cell total x target sum) to one accumulator on
/// several threads. Thread t owns the genes g with g mod threads = t, so no two threads touch the same gene, the
/// accumulator needs no lock, and every gene receives its values in input order: the medians are the same for any
/// thread count. Each thread first groups its values by gene (a stable counting sort), then adds them gene by gene:
/// adding in cell order would touch a random gene's storage at every value, a cache miss each time.
/// </summary>
public sealed class ParallelMedianAdder
{
    private readonly IMedianAccumulator accumulator;
    private readonly double targetSum;
    private readonly int threads;
    private readonly Scratch[] scratch;

    /// <summary>One thread's grouping buffers, kept between blocks.</summary>
    private sealed class Scratch
    {
        public int[] Start = [];
        public int[] Next = [];
        public double[] Values = [];
    }

    public ParallelMedianAdder(IMedianAccumulator accumulator, double targetSum, int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "median threads must be at least 1");
        (this.accumulator, this.targetSum, this.threads) = (accumulator, targetSum, threads);
        scratch = Enumerable.Range(0, threads).Select(_ => new Scratch()).ToArray();
    }

    /// <param name="genes">accumulator gene of each column of the block (-1: not counted)</param>
    /// <param name="geneCount">more than the largest entry of <paramref name="genes"/></param>
    /// <param name="totals">each cell's total count; NaN for a cell that is not counted</param>
    public void Add(CellBlock block, int[] genes, int geneCount, double[] totals)
    {
        accumulator.Reserve(geneCount);
        if (threads == 1) AddOwned(block, genes, geneCount, totals, 0);
        else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => AddOwned(block, genes, geneCount, totals, t));
    }

    private void AddOwned(CellBlock block, int[] genes, int geneCount, double[] totals, int owner)
    {
        var s = scratch[owner];
        if (s.Start.Length < geneCount + 1) (s.Start, s.Next) = (new int[geneCount + 1], new int[geneCount + 1]);
        var start = s.Start.AsSpan(0, geneCount + 1);
        start.Clear();
        int n = 0;
        for (int c = 0; c < block.CellCount; c++)
        {
            if (double.IsNaN(totals[c])) continue;
            for (int j = block.IndPtr[c]; j < block.IndPtr[c + 1]; j++)
            {
                var g = genes[block.GeneIndices[j]];
                if (g >= 0 && g % threads == owner && block.Values[j] > 0) { start[g + 1]++; n++; }
            }
        }
        if (n == 0) return;
        for (int g = 0; g < geneCount; g++) start[g + 1] += start[g];
        if (s.Values.Length < n) s.Values = new double[Math.Max(n, s.Values.Length * 2)];
        var next = s.Next.AsSpan(0, geneCount + 1);
        start.CopyTo(next);
        for (int c = 0; c < block.CellCount; c++)
        {
            var total = totals[c];
            if (double.IsNaN(total)) continue;
            for (int j = block.IndPtr[c]; j < block.IndPtr[c + 1]; j++)
            {
                var g = genes[block.GeneIndices[j]];
                var x = block.Values[j];
                if (g >= 0 && g % threads == owner && x > 0) s.Values[next[g]++] = x / total * targetSum;
            }
        }
        for (int g = owner; g < geneCount; g += threads)
            for (int k = start[g]; k < start[g + 1]; k++) accumulator.Add(g, s.Values[k]);
    }
}
