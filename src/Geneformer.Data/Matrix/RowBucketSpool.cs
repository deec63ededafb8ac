using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Geneformer.Data.Matrix;

/// <summary>
/// Out-of-core transpose to cell-major order, for matrices stored gene-major (AnnData CSC, unsorted MatrixMarket).
/// Entries arrive in any order and are spilled into a temporary file (deleted on dispose), into one region per
/// bucket of consecutive cells; each bucket is then read back alone and counting-sorted into CSR blocks.
/// Memory: the per-cell counts (4 bytes a cell), one small write buffer per bucket (at most 64 MiB in all) and one
/// bucket, held twice while it is sorted (at most <c>maxBucketEntries</c> x 24 bytes, or one block's entries if a single
/// block holds more).
/// Buckets hold whole blocks, so no block straddles two buckets.
/// </summary>
internal sealed class RowBucketSpool : IDisposable
{
    public const long DefaultMaxBucketEntries = 2 << 20;
    private const long MaxTotalBufferBytes = 64L << 20;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public int Row;
        public int Column;
        public float Value;
    }

    private readonly int[] rowCounts;
    private readonly int cellsPerBlock;
    private readonly List<Bucket> buckets = [];
    private readonly int[] bucketOfBlock;
    private readonly int bufferEntries;
    private readonly SafeFileHandle file;

    private sealed class Bucket(int firstRow, int endRow, long firstEntry, long entryCount)
    {
        public int FirstRow { get; } = firstRow;
        public int EndRow { get; } = endRow;
        public long FirstEntry { get; } = firstEntry;
        public long EntryCount { get; } = entryCount;
        public long Written { get; set; }
        public Entry[]? Buffer { get; set; }
        public int Buffered { get; set; }
    }

    /// <param name="rowCounts">Stored entries per cell (from a counting pass); the spool expects exactly these.</param>
    public RowBucketSpool(int[] rowCounts, int cellsPerBlock, long maxBucketEntries = DefaultMaxBucketEntries)
    {
        this.rowCounts = rowCounts;
        this.cellsPerBlock = cellsPerBlock;
        int blockCount = (rowCounts.Length + cellsPerBlock - 1) / cellsPerBlock;
        bucketOfBlock = new int[blockCount];
        long offset = 0;
        int bucketStart = 0;
        long bucketEntries = 0;
        for (int block = 0; block < blockCount; block++)
        {
            long blockEntries = 0;
            int end = Math.Min(rowCounts.Length, (block + 1) * cellsPerBlock);
            for (int row = block * cellsPerBlock; row < end; row++) blockEntries += rowCounts[row];
            if (bucketEntries > 0 && bucketEntries + blockEntries > maxBucketEntries)
            {
                buckets.Add(new Bucket(bucketStart, block * cellsPerBlock, offset, bucketEntries));
                offset += bucketEntries;
                bucketStart = block * cellsPerBlock;
                bucketEntries = 0;
            }
            bucketEntries += blockEntries;
            bucketOfBlock[block] = buckets.Count;
        }
        buckets.Add(new Bucket(bucketStart, rowCounts.Length, offset, bucketEntries));
        bufferEntries = (int)Math.Clamp(MaxTotalBufferBytes / buckets.Count / Marshal.SizeOf<Entry>(), 256, 4096);
        var path = Path.Combine(Path.GetTempPath(), $"geneformer-transpose-{Guid.NewGuid():N}.tmp");
        file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    public int BucketCount => buckets.Count;

    public void Add(int row, int column, float value)
    {
        var bucket = buckets[bucketOfBlock[row / cellsPerBlock]];
        bucket.Buffer ??= new Entry[bufferEntries];
        bucket.Buffer[bucket.Buffered++] = new Entry { Row = row, Column = column, Value = value };
        if (bucket.Buffered == bucket.Buffer.Length) Flush(bucket);
    }

    /// <summary>After every entry was added: the cells in order, as blocks of <c>cellsPerBlock</c>.</summary>
    public IEnumerable<CellBlock> ReadBlocks(CellBlockBuilder builder)
    {
        foreach (var bucket in buckets)
        {
            Flush(bucket);
            bucket.Buffer = null;
        }
        foreach (var bucket in buckets)
        {
            if (bucket.Written != bucket.EntryCount)
                throw new InvalidDataException($"transpose: cells {bucket.FirstRow}..{bucket.EndRow - 1} received {bucket.Written} entries, expected {bucket.EntryCount}");
            var entries = new Entry[bucket.EntryCount];
            ReadExactly(MemoryMarshal.AsBytes(entries.AsSpan()), bucket.FirstEntry * Marshal.SizeOf<Entry>());
            var sorted = SortByRow(entries, bucket);
            long position = 0;
            for (int blockStart = bucket.FirstRow; blockStart < bucket.EndRow; blockStart += cellsPerBlock)
            {
                builder.Reset(blockStart);
                int blockEnd = Math.Min(bucket.EndRow, blockStart + cellsPerBlock);
                for (int row = blockStart; row < blockEnd; row++)
                {
                    for (int k = 0; k < rowCounts[row]; k++, position++) builder.Add(sorted[position].Column, sorted[position].Value);
                    builder.EndCell();
                }
                yield return builder.Build();
            }
        }
    }

    public void Dispose() => file.Dispose();

    private void ReadExactly(Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read <= 0) throw new EndOfStreamException("transpose: temporary file ended early");
            destination = destination[read..];
            offset += read;
        }
    }

    private void Flush(Bucket bucket)
    {
        if (bucket.Buffered == 0 || bucket.Buffer is null) return;
        if (bucket.Written + bucket.Buffered > bucket.EntryCount)
            throw new InvalidDataException($"transpose: cells {bucket.FirstRow}..{bucket.EndRow - 1} received more entries than counted");
        var bytes = MemoryMarshal.AsBytes(bucket.Buffer.AsSpan(0, bucket.Buffered));
        RandomAccess.Write(file, bytes, (bucket.FirstEntry + bucket.Written) * Marshal.SizeOf<Entry>());
        bucket.Written += bucket.Buffered;
        bucket.Buffered = 0;
    }

    /// <summary>Stable counting sort by row, so genes keep their arrival order within a cell.</summary>
    private Entry[] SortByRow(Entry[] entries, Bucket bucket)
    {
        var next = new long[bucket.EndRow - bucket.FirstRow];
        long start = 0;
        for (int row = bucket.FirstRow; row < bucket.EndRow; row++)
        {
            next[row - bucket.FirstRow] = start;
            start += rowCounts[row];
        }
        var sorted = new Entry[entries.Length];
        foreach (var entry in entries)
        {
            if (entry.Row < bucket.FirstRow || entry.Row >= bucket.EndRow)
                throw new InvalidDataException($"transpose: entry for cell {entry.Row} found among cells {bucket.FirstRow}..{bucket.EndRow - 1}");
            sorted[next[entry.Row - bucket.FirstRow]++] = entry;
        }
        return sorted;
    }
}
