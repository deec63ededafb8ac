namespace Geneformer.Data.Medians;

/// <summary>
/// A per-gene log-bucket quantile sketch (the DDSketch scheme): value v &gt; 0 lands in bucket
/// ceil(log_gamma v), gamma = (1 + a) / (1 - a), and a bucket answers with the value within relative
/// error a of everything in it. So the median it returns is within a relative error a (default 0.5%) of the
/// exact one (for an even count, of each of the two middle values, hence of their mean). Buckets are plain
/// counts: merging is exact addition, and the result does not depend on the order values came in.
/// Memory per gene grows with the log of the value range (about 460 buckets per factor 10 at a = 0.5%),
/// not with the number of cells.
/// </summary>
public sealed class RelativeErrorMedianSketch : IMedianAccumulator
{
    private readonly double logGamma;
    private Bucket?[] genes = new Bucket?[1024];

    /// <summary>Relative accuracy a of every median returned.</summary>
    public double RelativeAccuracy { get; }

    public RelativeErrorMedianSketch(double relativeAccuracy = 0.005)
    {
        if (relativeAccuracy is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(relativeAccuracy));
        RelativeAccuracy = relativeAccuracy;
        logGamma = Math.Log((1 + relativeAccuracy) / (1 - relativeAccuracy));
    }

    public void Add(int gene, double value) => AddKey(gene, KeyOf(value));

    /// <summary>The bucket of <paramref name="value"/>: ceil(log_gamma value).</summary>
    public long KeyOf(double value)
    {
        if (!(value > 0) || double.IsPositiveInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), $"value {value} is not a positive finite number");
        return (long)Math.Ceiling(Math.Log(value) / logGamma);
    }

    public void AddKey(int gene, long key) => AddToBucket(gene, checked((int)key), 1);

    public void Merge(IMedianAccumulator other)
    {
        if (other is not RelativeErrorMedianSketch o || o.logGamma != logGamma) throw new ArgumentException("can only merge a RelativeErrorMedianSketch of the same accuracy");
        for (int g = 0; g < o.genes.Length; g++)
        {
            if (o.genes[g] is not { } b) continue;
            for (int i = 0; i < b.Counts.Length; i++)
                if (b.Counts[i] != 0) AddToBucket(g, b.Offset + i, b.Counts[i]);
        }
    }

    public long Count(int gene) => gene < genes.Length && genes[gene] is { } b ? b.Total : 0;

    public double Median(int gene)
    {
        var n = Count(gene);
        if (n == 0) return double.NaN;
        var b = genes[gene]!;
        return n % 2 == 1 ? ValueAtRank(b, n / 2) : (ValueAtRank(b, n / 2 - 1) + ValueAtRank(b, n / 2)) / 2;
    }

    private double ValueAtRank(Bucket b, long rank)
    {
        long seen = 0;
        for (int i = 0; i < b.Counts.Length; i++)
        {
            seen += b.Counts[i];
            if (seen > rank) return 2 * Math.Exp((b.Offset + i) * logGamma) / (1 + Math.Exp(logGamma));
        }
        throw new InvalidOperationException("rank beyond the sketch's count");
    }

    public void Reserve(int count)
    {
        if (count > genes.Length) Array.Resize(ref genes, Math.Max(count, genes.Length * 2));
    }

    private void AddToBucket(int gene, int index, long count)
    {
        Reserve(gene + 1);
        var b = genes[gene] ??= new Bucket { Offset = index - 32, Counts = new long[64] };
        if (index < b.Offset || index >= b.Offset + b.Counts.Length)
        {
            int lo = Math.Min(b.Offset, index), hi = Math.Max(b.Offset + b.Counts.Length, index + 1);
            int grow = Math.Max(16, (hi - lo) / 2); // leave slack on the side that grew
            int newLo = index < b.Offset ? lo - grow : lo, newHi = index >= b.Offset + b.Counts.Length ? hi + grow : hi;
            var counts = new long[newHi - newLo];
            Array.Copy(b.Counts, 0, counts, b.Offset - newLo, b.Counts.Length);
            b.Offset = newLo;
            b.Counts = counts;
        }
        b.Counts[index - b.Offset] += count;
        b.Total += count;
    }

    private sealed class Bucket
    {
        public int Offset;
        public long[] Counts = [];
        public long Total;
    }
}
