using Geneformer.Data.Matrix;

namespace Geneformer.Data.Medians;

/// <summary>
/// Adds the normalised non-zero values of a block's cells (count / cell total x target sum) to one accumulator on
/// several threads, in two phases:
/// <list type="number">
/// <item>each thread takes a share of the cells and works out every value's gene and key (a sketch's bucket: the
/// logarithm, the costly arithmetic) into block-wide arrays;</item>
/// <item>thread t owns the genes g with g mod threads = t: it groups its genes' keys by gene (a stable counting
/// sort) and adds them gene by gene. Adding in cell order would touch a random gene's storage at every value, a cache
/// miss each time; no two threads touch the same gene, so the accumulator needs no lock.</item>
/// </list>
/// Every gene receives its values in input order, so the medians are the same for any thread count.
/// </summary>
public sealed class ParallelMedianAdder
{
    private const int Skip = -1;

    private readonly IMedianAccumulator accumulator;
    private readonly double targetSum;
    private readonly int threads;
    private readonly ParallelOptions parallel;
    private readonly Owner[] owners;
    private int[] valueGenes = [];
    private long[] valueKeys = [];

    /// <summary>One owner thread's grouping buffers, kept between blocks.</summary>
    private sealed class Owner
    {
        public int[] Start = [];
        public int[] Next = [];
        public long[] Keys = [];
    }

    public ParallelMedianAdder(IMedianAccumulator accumulator, double targetSum, int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "median threads must be at least 1");
        (this.accumulator, this.targetSum, this.threads) = (accumulator, targetSum, threads);
        parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        owners = Enumerable.Range(0, threads).Select(_ => new Owner()).ToArray();
    }

    /// <param name="genes">accumulator gene of each column of the block (-1: not counted)</param>
    /// <param name="geneCount">more than the largest entry of <paramref name="genes"/></param>
    /// <param name="totals">each cell's total count; NaN for a cell that is not counted</param>
    public void Add(CellBlock block, int[] genes, int geneCount, double[] totals)
    {
        accumulator.Reserve(geneCount);
        var values = block.IndPtr[^1];
        if (valueGenes.Length < values) (valueGenes, valueKeys) = (new int[values], new long[values]);
        Run(t => Keys(block, genes, totals, t));
        Run(t => AddOwned(geneCount, values, t));
    }

    private void Run(Action<int> part)
    {
        if (threads == 1) part(0);
        else Parallel.For(0, threads, parallel, part);
    }

    /// <summary>Phase 1: the gene and key of every value of thread <paramref name="t"/>'s share of the cells.</summary>
    private void Keys(CellBlock block, int[] genes, double[] totals, int t)
    {
        int cells = block.CellCount, from = (int)((long)cells * t / threads), to = (int)((long)cells * (t + 1) / threads);
        for (int c = from; c < to; c++)
        {
            var total = totals[c];
            for (int j = block.IndPtr[c]; j < block.IndPtr[c + 1]; j++)
            {
                var g = genes[block.GeneIndices[j]];
                var x = block.Values[j];
                if (double.IsNaN(total) || g < 0 || !(x > 0)) { valueGenes[j] = Skip; continue; }
                valueGenes[j] = g;
                valueKeys[j] = accumulator.KeyOf(x / total * targetSum);
            }
        }
    }

    /// <summary>Phase 2: thread <paramref name="owner"/>'s genes, their keys grouped by gene in input order, added.</summary>
    private void AddOwned(int geneCount, int values, int owner)
    {
        var s = owners[owner];
        if (s.Start.Length < geneCount + 1) (s.Start, s.Next) = (new int[geneCount + 1], new int[geneCount + 1]);
        var start = s.Start.AsSpan(0, geneCount + 1);
        start.Clear();
        int n = 0;
        for (int j = 0; j < values; j++)
        {
            var g = valueGenes[j];
            if (g != Skip && g % threads == owner) { start[g + 1]++; n++; }
        }
        if (n == 0) return;
        for (int g = 0; g < geneCount; g++) start[g + 1] += start[g];
        if (s.Keys.Length < n) s.Keys = new long[Math.Max(n, s.Keys.Length * 2)];
        var next = s.Next.AsSpan(0, geneCount + 1);
        start.CopyTo(next);
        for (int j = 0; j < values; j++)
        {
            var g = valueGenes[j];
            if (g != Skip && g % threads == owner) s.Keys[next[g]++] = valueKeys[j];
        }
        for (int g = owner; g < geneCount; g += threads)
            for (int k = start[g]; k < start[g + 1]; k++) accumulator.AddKey(g, s.Keys[k]);
    }
}
