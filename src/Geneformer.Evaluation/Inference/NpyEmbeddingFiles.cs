using Geneformer.Common.IO;

namespace Geneformer.Evaluation.Inference;

/// <summary>
/// Writes embeddings as NumPy files, streamed, each file renamed into place only when all of it is written:
/// <list type="bullet">
/// <item><c>OUT.npy</c>: float32 or float16, [cells x hidden] (mean, cls) or [gene tokens x hidden] (genes), rows in input order</item>
/// <item><c>OUT.ids.txt</c>: the cell ids, one a line, in the same order</item>
/// <item>genes only: <c>OUT.offsets.npy</c> (int64, cells + 1): cell i's rows are offsets[i]..offsets[i+1];
/// <c>OUT.tokens.npy</c> (int32, gene tokens): each row's token id</item>
/// </list>
/// The main .npy is committed last, so its presence means the others are complete.
/// A part (<see cref="ForPart"/>: one MPI rank's slice of the cells) has the same files but no ids; parts are joined
/// into the whole with <see cref="AppendPart"/>, streamed.
/// </summary>
public sealed class NpyEmbeddingFiles : IEmbeddingSink, IDisposable
{
    /// <summary>Rows copied at a time when appending a part: bounds memory whatever the part's size.</summary>
    private const long CopyElements = 4 << 20;

    private readonly NpyRowWriter<float>? single;
    private readonly NpyRowWriter<Half>? half;
    private readonly NpyRowWriter<long>? offsets;
    private readonly NpyRowWriter<int>? tokens;
    private readonly IReadOnlyList<string>? cellIds;
    private readonly int hidden;
    private long geneRows;

    public string VectorsPath { get; }
    public string IdsPath { get; }
    public string? OffsetsPath { get; }
    public string? TokensPath { get; }

    public NpyEmbeddingFiles(string outputPath, int hidden, bool float16, bool perGene, IReadOnlyList<string> cellIds)
        : this(outputPath, hidden, float16, perGene, cellIds.Count, cellIds) { }

    private NpyEmbeddingFiles(string outputPath, int hidden, bool float16, bool perGene, long cells, IReadOnlyList<string>? cellIds)
    {
        var paths = EmbeddingFilePaths.For(outputPath, perGene);
        VectorsPath = paths.Vectors;
        IdsPath = paths.Ids;
        OffsetsPath = paths.Offsets;
        TokensPath = paths.Tokens;
        this.cellIds = cellIds;
        this.hidden = hidden;
        var rows = perGene ? (long?)null : cells;
        if (float16) half = new NpyRowWriter<Half>(outputPath, hidden, rows);
        else single = new NpyRowWriter<float>(outputPath, hidden, rows);
        if (perGene)
        {
            offsets = new NpyRowWriter<long>(OffsetsPath!, 0, cells + 1);
            tokens = new NpyRowWriter<int>(TokensPath!, 0);
            offsets.Append([0L]);
        }
    }

    /// <summary>The files of one slice of <paramref name="cells"/> cells, without the ids file.</summary>
    public static NpyEmbeddingFiles ForPart(string partPath, int hidden, bool float16, bool perGene, long cells) =>
        new(partPath, hidden, float16, perGene, cells, null);

    public void Write(EmbeddedCells cells)
    {
        if (half is not null)
        {
            var converted = new Half[cells.Vectors.Length];
            for (var i = 0; i < converted.Length; i++) converted[i] = (Half)cells.Vectors[i];
            half.Append(converted);
        }
        else single!.Append(cells.Vectors);
        if (cells.GeneOffsets is { } o)
        {
            var ends = new long[cells.Cells];
            for (var i = 0; i < cells.Cells; i++) ends[i] = geneRows + o[i + 1];
            offsets!.Append(ends);
            tokens!.Append(cells.GeneTokens);
            geneRows += o[^1];
        }
    }

    /// <summary>
    /// Appends the committed files of a part written with the same hidden size, dtype and pooling, a bounded number
    /// of rows at a time (its gene offsets shifted past the rows already written). Throws naming the part's file
    /// when it does not match.
    /// </summary>
    public void AppendPart(EmbeddingFilePaths part)
    {
        if (half is not null) CopyRows(part.Vectors, half);
        else CopyRows(part.Vectors, single!);
        if (offsets is null) return;
        if (part.Offsets is null || part.Tokens is null) throw new ArgumentException($"{part.Vectors}: a part of per-gene embeddings needs its offsets and tokens files");
        using (var reader = new NpyRowReader<long>(part.Offsets))
        {
            if (reader.Rows < 1 || reader.Read(1)[0] != 0) throw new InvalidDataException($"{part.Offsets}: gene offsets must start at 0");
            long partRows = 0;
            while (reader.RowsRead < reader.Rows)
            {
                var ends = reader.Read(CopyElements);
                partRows = ends[^1];
                for (var i = 0; i < ends.Length; i++) ends[i] += geneRows;
                offsets.Append(ends);
            }
            geneRows += partRows;
        }
        CopyRows(part.Tokens, tokens!);
        var written = (half?.Rows ?? single!.Rows);
        if (written != geneRows || tokens!.Rows != geneRows)
            throw new InvalidDataException($"{part.Vectors}: after this part the offsets end at {geneRows} gene rows, but {written} vector rows and {tokens!.Rows} tokens were written");
    }

    private void CopyRows<T>(string path, NpyRowWriter<T> writer) where T : unmanaged
    {
        using var reader = new NpyRowReader<T>(path);
        var width = writer.RowWidth == 0 ? 1 : writer.RowWidth;
        if (reader.Header.Shape.Length != (writer.RowWidth == 0 ? 1 : 2) || reader.RowWidth != width)
            throw new InvalidDataException($"{path}: shape ({string.Join(", ", reader.Header.Shape)}), expected rows of {width} (hidden size {hidden})");
        var rowsAtATime = Math.Max(1, CopyElements / width);
        while (reader.RowsRead < reader.Rows) writer.Append(reader.Read(rowsAtATime));
    }

    /// <summary>Commits every file (ids, offsets, tokens, then the vectors).</summary>
    public void Complete()
    {
        if (cellIds is not null) Durable.WriteAllText(IdsPath, string.Concat(cellIds.Select(id => id + "\n")));
        offsets?.Complete();
        tokens?.Complete();
        half?.Complete();
        single?.Complete();
    }

    public void Dispose()
    {
        single?.Dispose();
        half?.Dispose();
        offsets?.Dispose();
        tokens?.Dispose();
    }
}
