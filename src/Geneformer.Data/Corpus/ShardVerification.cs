namespace Geneformer.Data.Corpus;

/// <summary>What <see cref="CorpusReader.VerifyShards"/> found: shards hashed, shards without a recorded checksum, and the damaged ones.</summary>
public sealed record ShardVerification(int Checked, int Unrecorded, long Bytes, TimeSpan Elapsed, IReadOnlyList<CorruptShardException> Damaged)
{
    /// <summary>Throws the first damage found, saying how many shards are damaged in all.</summary>
    public void ThrowIfDamaged()
    {
        if (Damaged.Count == 0) return;
        var first = Damaged[0];
        if (Damaged.Count == 1) throw first;
        throw new CorruptShardException(first.Path, $"{first.What} (and {Damaged.Count - 1} more damaged shard(s): {string.Join(", ", Damaged.Skip(1).Select(d => d.Path))})");
    }

    public string Describe() =>
        $"{Checked} shard(s), {Bytes / 1e9:0.00} GB hashed in {Elapsed.TotalSeconds:0.0} s" +
        (Unrecorded > 0 ? $"; {Unrecorded} shard(s) carry no checksum (prepared before shards had them: re-run prepare to add them)" : "");
}
