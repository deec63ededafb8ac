using System.Text;

namespace Geneformer.Data.Pipeline;

/// <summary>Seeded hashing and shuffling that never change between runs, machines or .NET versions (unlike string.GetHashCode or System.Random).</summary>
public static class StableHash
{
    public static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>FNV-1a over the UTF-8 bytes, mixed with the seed.</summary>
    public static ulong Of(ulong seed, string text)
    {
        ulong h = 0xCBF29CE484222325UL ^ SplitMix64(seed);
        Span<byte> buf = text.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var n = Encoding.UTF8.GetBytes(text, buf);
        foreach (var b in buf[..n]) { h ^= b; h *= 0x100000001B3UL; }
        return SplitMix64(h);
    }

    /// <summary>A uniform number in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    public static void Shuffle<T>(IList<T> items, ulong seed)
    {
        var state = seed;
        for (int i = items.Count - 1; i > 0; i--)
        {
            state = SplitMix64(state);
            int j = (int)(state % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
