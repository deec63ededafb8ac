namespace Geneformer.Data.Loading;

/// <summary>
/// The global order in which cells are seen: each epoch a seeded permutation of the split, epochs
/// concatenated into one stream. Global batch <c>s</c> is samples <c>[s*G, (s+1)*G)</c> of the stream; within
/// it, micro batch <c>a</c> of rank <c>r</c> takes <c>(a*world + r)*micro ... +micro</c>. The order is therefore
/// identical for any world size, and a resumed run needs only the step number.
/// </summary>
public sealed class GlobalSampleOrder
{
    private readonly long count;
    private readonly ulong seed;
    private long cachedEpoch = -1;
    private long[]? cachedPermutation;
    private readonly Lock gate = new();

    public GlobalSampleOrder(long count, ulong seed)
    {
        if (count <= 0) throw new ArgumentException("the split to train on has no cells");
        this.count = count;
        this.seed = seed;
    }

    public long CellCount => count;

    /// <summary>The cell at position <paramref name="sample"/> of the stream, and its epoch.</summary>
    public (long Cell, long Epoch) At(long sample)
    {
        var epoch = sample / count;
        var perm = Permutation(epoch);
        return (perm[sample % count], epoch);
    }

    private long[] Permutation(long epoch)
    {
        lock (gate)
        {
            if (epoch == cachedEpoch) return cachedPermutation!;
            var perm = new long[count];
            for (long i = 0; i < count; i++) perm[i] = i;
            var rng = new CounterRng((long)seed, epoch, -1);
            for (var i = count - 1; i > 0; i--)
            {
                var j = (long)(rng.NextUInt64() % (ulong)(i + 1));
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            cachedEpoch = epoch;
            cachedPermutation = perm;
            return perm;
        }
    }
}
