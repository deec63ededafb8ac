using System.Buffers;
using System.IO.MemoryMappedFiles;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Geneformer.Data.Corpus;

/// <summary>
/// One Arrow IPC file shard, memory-mapped and read zero-copy: the IPC file is the 8-byte magic followed
/// by an IPC stream, so <see cref="ArrowStreamReader"/> over the mapped bytes yields record batches whose
/// buffers point into the mapping (ArrowFileReader would copy each batch). Immutable once open: safe for
/// concurrent readers.
/// </summary>
internal sealed unsafe class MappedShard : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* pointer;
    private readonly RecordBatch[] batches;
    private readonly long[] batchStart; // first row of each batch, plus the total at the end
    internal readonly BatchColumns[] Columns;

    public string Path { get; }
    public long Rows => batchStart[^1];

    /// <param name="expectedBytes">the size the manifest records (null when it records none)</param>
    public MappedShard(string path, long? expectedBytes = null)
    {
        Path = path;
        var size = new FileInfo(path).Length;
        if (expectedBytes is { } expected && size != expected) throw new CorruptShardException(path, $"{size} bytes, but the manifest records {expected}");
        if (size < 16) throw new InvalidDataException($"{path}: {size} bytes is too short for an Arrow IPC file");
        if (size > int.MaxValue) throw new InvalidDataException($"{path}: {size} bytes; shards must stay under 2 GiB");
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        pointer = p + view.PointerOffset;
        try
        {
            if (!new ReadOnlySpan<byte>(pointer, 6).SequenceEqual(Magic) || !new ReadOnlySpan<byte>(pointer + size - 6, 6).SequenceEqual(Magic))
                throw new InvalidDataException($"{path}: not an Arrow IPC file (magic ARROW1 missing)");
            var memory = new PointerMemoryManager(pointer + 8, (int)size - 8).Memory;
            var list = new List<RecordBatch>();
            using (var reader = new ArrowStreamReader(memory))
            {
                CheckSchema(reader.Schema, path);
                while (reader.ReadNextRecordBatch() is { } batch) list.Add(batch);
            }
            batches = [.. list];
            batchStart = new long[batches.Length + 1];
            Columns = new BatchColumns[batches.Length];
            for (int i = 0; i < batches.Length; i++)
            {
                batchStart[i + 1] = batchStart[i] + batches[i].Length;
                Columns[i] = new BatchColumns(batches[i]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static void CheckSchema(Schema schema, string path)
    {
        string[] expected = [CorpusSchema.InputIds, CorpusSchema.Length, CorpusSchema.CellId, CorpusSchema.DatasetId, .. CorpusSchema.MetadataColumns];
        var actual = schema.FieldsList.Select(f => f.Name).ToArray();
        if (!actual.SequenceEqual(expected)) throw new InvalidDataException($"{path}: columns [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]");
    }

    /// <summary>The batch holding shard row <paramref name="row"/> and the row within it.</summary>
    public (int Batch, int Row) Locate(long row)
    {
        int lo = 0, hi = batches.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (batchStart[mid] <= row) lo = mid; else hi = mid - 1;
        }
        return (lo, (int)(row - batchStart[lo]));
    }

    public void Dispose()
    {
        if (batches is not null) foreach (var b in batches) b.Dispose();
        if (pointer != null) view.SafeMemoryMappedViewHandle.ReleasePointer();
        view?.Dispose();
        file?.Dispose();
    }

    /// <summary>Exposes unmanaged memory as <see cref="Memory{T}"/> (no copy; the mapping outlives it).</summary>
    private sealed class PointerMemoryManager(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}

/// <summary>Typed columns of one record batch, resolved once.</summary>
internal sealed class BatchColumns
{
    public readonly ListArray InputIds;
    public readonly Int16Array Tokens;
    public readonly Int32Array Length;
    public readonly StringArray CellId;
    public readonly Int32Array DatasetCode;
    public readonly string[] DatasetDictionary;
    public readonly StringArray[] Metadata;

    public BatchColumns(RecordBatch batch)
    {
        InputIds = (ListArray)batch.Column(0);
        Tokens = (Int16Array)InputIds.Values;
        Length = (Int32Array)batch.Column(1);
        CellId = (StringArray)batch.Column(2);
        var dataset = (DictionaryArray)batch.Column(3);
        DatasetCode = (Int32Array)dataset.Indices;
        var dict = (StringArray)dataset.Dictionary;
        DatasetDictionary = Enumerable.Range(0, dict.Length).Select(i => dict.GetString(i)).ToArray();
        Metadata = Enumerable.Range(4, CorpusSchema.MetadataColumns.Length).Select(i => (StringArray)batch.Column(i)).ToArray();
    }
}
