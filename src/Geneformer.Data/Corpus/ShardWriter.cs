using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Geneformer.Data.Corpus;

/// <summary>
/// Writes one Arrow IPC file shard, a record batch every <c>batchRows</c> rows. Every batch shares one
/// dataset_id dictionary (all dataset ids of the corpus), as the IPC file format allows no dictionary replacement.
/// </summary>
public sealed class ShardWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly ArrowFileWriter writer;
    private readonly Schema schema = CorpusSchema.Create();
    private readonly StringArray datasetDictionary;
    private readonly Dictionary<string, int> datasetIndex;
    private readonly int batchRows;

    private short[] tokens = new short[1 << 20];
    private int tokenCount;
    private readonly List<int> offsets = [0];
    private readonly List<int> lengths = [];
    private readonly List<int> datasetCodes = [];
    private readonly List<string?>[] strings = Enumerable.Range(0, 1 + CorpusSchema.MetadataColumns.Length).Select(_ => new List<string?>()).ToArray();

    public string Path { get; }
    public long Rows { get; private set; }
    /// <summary>Bytes of token and string data written or buffered so far (to keep shards under 2 GiB).</summary>
    public long ApproximateBytes { get; private set; }

    public ShardWriter(string path, IReadOnlyList<string> allDatasetIds, int batchRows = 8192)
    {
        Path = path;
        this.batchRows = batchRows;
        datasetIndex = allDatasetIds.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        var b = new StringArray.Builder();
        foreach (var d in allDatasetIds) b.Append(d);
        datasetDictionary = b.Build();
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        writer = new ArrowFileWriter(stream, schema, leaveOpen: true);
        writer.WriteStart();
    }

    public void Append(ReadOnlySpan<short> cellTokens, CellMetadata meta)
    {
        if (!datasetIndex.TryGetValue(meta.DatasetId, out var code)) throw new ArgumentException($"dataset_id '{meta.DatasetId}' is not in the shard's dictionary");
        if (tokens.Length < tokenCount + cellTokens.Length) System.Array.Resize(ref tokens, Math.Max(tokens.Length * 2, tokenCount + cellTokens.Length));
        cellTokens.CopyTo(tokens.AsSpan(tokenCount));
        tokenCount += cellTokens.Length;
        offsets.Add(tokenCount);
        lengths.Add(cellTokens.Length);
        datasetCodes.Add(code);
        string?[] values = [meta.CellId, meta.Assay, meta.Sex, meta.DevelopmentStage, meta.TissueGeneral, meta.SelfReportedEthnicity, meta.CellType];
        for (int i = 0; i < values.Length; i++)
        {
            strings[i].Add(values[i]);
            ApproximateBytes += values[i]?.Length ?? 0;
        }
        ApproximateBytes += 2L * cellTokens.Length + 16;
        Rows++;
        if (lengths.Count >= batchRows) Flush();
    }

    private void Flush()
    {
        if (lengths.Count == 0) return;
        int rows = lengths.Count;
        var values = new Int16Array(Buffer(tokens.AsSpan(0, tokenCount)), ArrowBuffer.Empty, tokenCount, 0, 0);
        var inputIds = new ListArray(CorpusSchema.TokenListType, rows, Buffer(CollectionsMarshal.AsSpan(offsets)), values, ArrowBuffer.Empty, 0, 0);
        var length = new Int32Array(Buffer(CollectionsMarshal.AsSpan(lengths)), ArrowBuffer.Empty, rows, 0, 0);
        var datasetCodesArray = new Int32Array(Buffer(CollectionsMarshal.AsSpan(datasetCodes)), ArrowBuffer.Empty, rows, 0, 0);
        var dataset = new DictionaryArray(CorpusSchema.DatasetIdType, datasetCodesArray, datasetDictionary);
        var columns = new List<IArrowArray> { inputIds, length, Strings(strings[0]), dataset };
        for (int i = 1; i < strings.Length; i++) columns.Add(Strings(strings[i]));
        using (var batch = new RecordBatch(schema, columns, rows)) writer.WriteRecordBatch(batch);

        tokenCount = 0;
        offsets.Clear();
        offsets.Add(0);
        lengths.Clear();
        datasetCodes.Clear();
        foreach (var s in strings) s.Clear();
    }

    private static ArrowBuffer Buffer<T>(ReadOnlySpan<T> data) where T : struct => new(MemoryMarshal.AsBytes(data).ToArray());

    private static StringArray Strings(List<string?> values)
    {
        var b = new StringArray.Builder();
        foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(v); }
        return b.Build();
    }

    /// <summary>Writes the last batch and the file footer.</summary>
    public void Complete()
    {
        Flush();
        writer.WriteEnd();
        stream.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }
}
