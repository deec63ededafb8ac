namespace Geneformer.Data.Corpus;

/// <summary>Writes one split's rows into <c>SPLIT/part-NNNNN.arrow</c> shards of at most <c>rowsPerShard</c> rows and well under 2 GiB.</summary>
public sealed class SplitShardWriter : IDisposable
{
    /// <summary>Shards close at this size: memory-mapped reading addresses a shard as one Memory&lt;byte&gt; (2 GiB limit).</summary>
    public const long MaxShardBytes = 1L << 30;

    private readonly string directory;
    private readonly string split;
    private readonly IReadOnlyList<string> datasetIds;
    private readonly long rowsPerShard;
    private readonly int batchRows;
    private readonly List<ShardInfo> shards = [];
    private ShardWriter? current;

    public SplitShardWriter(string corpusDirectory, string split, IReadOnlyList<string> allDatasetIds, long rowsPerShard, int batchRows = 8192)
    {
        if (rowsPerShard < 1) throw new ArgumentException($"rows per shard must be positive, not {rowsPerShard}");
        directory = Path.Combine(corpusDirectory, split);
        this.split = split;
        datasetIds = allDatasetIds;
        this.rowsPerShard = rowsPerShard;
        this.batchRows = (int)Math.Min(batchRows, rowsPerShard);
    }

    public long Rows => shards.Sum(s => s.Rows) + (current?.Rows ?? 0);

    public void Append(ReadOnlySpan<short> tokens, CellMetadata meta)
    {
        if (current is null)
        {
            Directory.CreateDirectory(directory);
            current = new ShardWriter(Path.Combine(directory, $"part-{shards.Count:D5}.arrow"), datasetIds, batchRows);
        }
        current.Append(tokens, meta);
        if (current.Rows >= rowsPerShard || current.ApproximateBytes >= MaxShardBytes) CloseCurrent();
    }

    private void CloseCurrent()
    {
        if (current is null) return;
        current.Complete();
        current.Dispose();
        var sum = ShardChecksum.Of(current.Path); // the closed file, still in the page cache
        shards.Add(new ShardInfo($"{split}/{Path.GetFileName(current.Path)}", current.Rows, sum.Bytes, sum.Sha256));
        current = null;
    }

    /// <summary>Closes the last shard and returns every shard written (paths relative to the corpus directory).</summary>
    public IReadOnlyList<ShardInfo> Complete()
    {
        CloseCurrent();
        return shards;
    }

    public void Dispose() => current?.Dispose();
}
