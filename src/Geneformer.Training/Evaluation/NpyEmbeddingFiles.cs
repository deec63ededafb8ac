using Geneformer.Data.IO;

namespace Geneformer.Training.Evaluation;

/// <summary>
/// Writes embeddings as NumPy files, streamed, each file renamed into place only when all of it is written:
/// <list type="bullet">
/// <item><c>OUT.npy</c>: float32 or float16, [cells x hidden] (mean, cls) or [gene tokens x hidden] (genes), rows in input order</item>
/// <item><c>OUT.ids.txt</c>: the cell ids, one a line, in the same order</item>
/// <item>genes only: <c>OUT.offsets.npy</c> (int64, cells + 1): cell i's rows are offsets[i]..offsets[i+1];
/// <c>OUT.tokens.npy</c> (int32, gene tokens): each row's token id</item>
/// </list>
/// The main .npy is committed last, so its presence means the others are complete.
/// </summary>
public sealed class NpyEmbeddingFiles : IEmbeddingSink, IDisposable
{
    private readonly NpyRowWriter<float>? single;
    private readonly NpyRowWriter<Half>? half;
    private readonly NpyRowWriter<long>? offsets;
    private readonly NpyRowWriter<int>? tokens;
    private readonly IReadOnlyList<string> cellIds;
    private long geneRows;

    public string VectorsPath { get; }
    public string IdsPath { get; }
    public string? OffsetsPath { get; }
    public string? TokensPath { get; }

    public NpyEmbeddingFiles(string outputPath, int hidden, bool float16, bool perGene, IReadOnlyList<string> cellIds)
    {
        if (!outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--output {outputPath}: expected a .npy file name");
        var stem = outputPath[..^4];
        VectorsPath = outputPath;
        IdsPath = stem + ".ids.txt";
        this.cellIds = cellIds;
        var rows = perGene ? (long?)null : cellIds.Count;
        if (float16) half = new NpyRowWriter<Half>(outputPath, hidden, rows);
        else single = new NpyRowWriter<float>(outputPath, hidden, rows);
        if (perGene)
        {
            OffsetsPath = stem + ".offsets.npy";
            TokensPath = stem + ".tokens.npy";
            offsets = new NpyRowWriter<long>(OffsetsPath, 0, cellIds.Count + 1);
            tokens = new NpyRowWriter<int>(TokensPath, 0);
            offsets.Append([0L]);
        }
    }

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

    /// <summary>Commits every file (ids, offsets, tokens, then the vectors).</summary>
    public void Complete()
    {
        Durable.WriteAllText(IdsPath, string.Concat(cellIds.Select(id => id + "\n")));
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
