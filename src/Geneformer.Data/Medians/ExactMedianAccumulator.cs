namespace Geneformer.Data.Medians;

/// <summary>Keeps every value; the median is exact (numpy semantics). For small corpora and for testing the sketch.</summary>
public sealed class ExactMedianAccumulator : IMedianAccumulator
{
    private double[]?[] values = new double[]?[1024];
    private int[] counts = new int[1024];

    public void Reserve(int genes)
    {
        if (genes <= values.Length) return;
        var size = Math.Max(genes, values.Length * 2);
        Array.Resize(ref values, size);
        Array.Resize(ref counts, size);
    }

    public long KeyOf(double value) => BitConverter.DoubleToInt64Bits(value);

    public void AddKey(int gene, long key) => Add(gene, BitConverter.Int64BitsToDouble(key));

    public void Add(int gene, double value)
    {
        Reserve(gene + 1);
        var list = values[gene] ??= new double[16];
        if (counts[gene] == list.Length) Array.Resize(ref values[gene], list.Length * 2);
        values[gene]![counts[gene]++] = value;
    }

    public void Merge(IMedianAccumulator other)
    {
        if (other is not ExactMedianAccumulator o) throw new ArgumentException("can only merge another ExactMedianAccumulator");
        for (int g = 0; g < o.values.Length; g++)
            for (int i = 0; i < o.counts[g]; i++) Add(g, o.values[g]![i]);
    }

    public long Count(int gene) => gene < counts.Length ? counts[gene] : 0;

    public double Median(int gene)
    {
        var n = (int)Count(gene);
        if (n == 0) return double.NaN;
        var sorted = values[gene]!.AsSpan(0, n);
        sorted.Sort();
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
