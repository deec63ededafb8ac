namespace Geneformer.Data.Corpus;

/// <summary>
/// One split of a corpus (its shards, memory-mapped) with O(1)-ish random access to any cell: a binary
/// search over shards and batches, then spans straight into the mapping. Thread-safe for concurrent readers.
/// </summary>
public sealed class CorpusSplit : IDisposable
{
    private readonly MappedShard[] shards;
    private readonly long[] shardStart;

    public string Name { get; }
    public long Count => shardStart[^1];

    internal CorpusSplit(string name, string directory, IEnumerable<ShardInfo> shardInfos)
    {
        Name = name;
        var opened = new List<MappedShard>();
        try
        {
            foreach (var info in shardInfos)
            {
                var shard = new MappedShard(Path.Combine(directory, info.File), info.Bytes);
                opened.Add(shard);
                if (shard.Rows != info.Rows) throw new CorruptShardException(shard.Path, $"{shard.Rows} rows, but the manifest lists {info.Rows}");
            }
        }
        catch
        {
            foreach (var s in opened) s.Dispose();
            throw;
        }
        shards = [.. opened];
        shardStart = new long[shards.Length + 1];
        for (int i = 0; i < shards.Length; i++) shardStart[i + 1] = shardStart[i] + shards[i].Rows;
    }

    /// <summary>The token ids of cell <paramref name="index"/>, pointing into the mapped file (valid while the reader is open).</summary>
    public ReadOnlySpan<short> Tokens(long index)
    {
        var (c, row) = Locate(index);
        var offsets = c.InputIds.ValueOffsets;
        int from = offsets[row], to = offsets[row + 1];
        return c.Tokens.Values.Slice(from, to - from);
    }

    /// <summary>Copies cell <paramref name="index"/>'s tokens into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTokens(long index, Span<short> destination)
    {
        var t = Tokens(index);
        t.CopyTo(destination);
        return t.Length;
    }

    public int Length(long index)
    {
        var (c, row) = Locate(index);
        return c.Length.Values[row];
    }

    public string CellId(long index)
    {
        var (c, row) = Locate(index);
        return c.CellId.GetString(row);
    }

    public string DatasetId(long index)
    {
        var (c, row) = Locate(index);
        return c.DatasetDictionary[c.DatasetCode.Values[row]];
    }

    public CellMetadata Metadata(long index)
    {
        var (c, row) = Locate(index);
        string? M(int i) => c.Metadata[i].IsNull(row) ? null : c.Metadata[i].GetString(row);
        return new CellMetadata(c.CellId.GetString(row), c.DatasetDictionary[c.DatasetCode.Values[row]], M(0), M(1), M(2), M(3), M(4), M(5));
    }

    private (BatchColumns Columns, int Row) Locate(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), $"cell {index} is outside split '{Name}' of {Count} cells");
        int lo = 0, hi = shards.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (shardStart[mid] <= index) lo = mid; else hi = mid - 1;
        }
        var shard = shards[lo];
        var (batch, row) = shard.Locate(index - shardStart[lo]);
        return (shard.Columns[batch], row);
    }

    public void Dispose()
    {
        foreach (var s in shards) s.Dispose();
    }
}
