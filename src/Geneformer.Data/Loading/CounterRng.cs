namespace Geneformer.Data.Loading;

/// <summary>
/// A small counter-based random stream (SplitMix64) keyed by a tuple of integers, so that the random
/// choices for (seed, epoch, cell) are the same whichever rank or process makes them, with no state to
/// save for resume.
/// </summary>
public struct CounterRng
{
    private ulong state;

    public CounterRng(params long[] key)
    {
        state = 0x9E3779B97F4A7C15UL;
        foreach (var k in key) state = Mix(state ^ (ulong)k);
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for n below 2^32).</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);
}
