namespace Geneformer.Data.Medians;

/// <summary>
/// Collects normalised non-zero expression values per gene (genes numbered by the caller) and answers
/// each gene's median. Accumulators of the same kind merge, so files can be summarised separately.
/// The result never depends on the order values arrive in.
/// </summary>
public interface IMedianAccumulator
{
    void Add(int gene, double value);

    /// <summary>
    /// What <see cref="Add"/> keeps of <paramref name="value"/> (a sketch's bucket, or the value itself), computed
    /// without touching the accumulator: safe from any thread. <c>Add(g, v)</c> is <c>AddKey(g, KeyOf(v))</c>.
    /// </summary>
    long KeyOf(double value);

    void AddKey(int gene, long key);

    /// <summary>
    /// Makes room for genes 0 .. <paramref name="genes"/> - 1 up front. After it, adding to different genes from
    /// different threads at once is safe: each gene's storage is its own.
    /// </summary>
    void Reserve(int genes);

    /// <summary>Adds everything <paramref name="other"/> (of the same kind and settings) has seen.</summary>
    void Merge(IMedianAccumulator other);

    /// <summary>Number of values seen for <paramref name="gene"/>.</summary>
    long Count(int gene);

    /// <summary>Median as numpy computes it (mean of the two middle values for an even count); NaN when no value was seen.</summary>
    double Median(int gene);
}
