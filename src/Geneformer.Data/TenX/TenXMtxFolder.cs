using Geneformer.Data.Matrix;

namespace Geneformer.Data.TenX;

/// <summary>
/// A Cell Ranger matrix folder: matrix.mtx(.gz) (genes x cells) with features.tsv(.gz) (v3) or genes.tsv (v1/v2)
/// and barcodes.tsv(.gz). Cells are streamed by a counting pass and a second pass: directly when the entries are
/// ordered by cell (as Cell Ranger writes them), else through an out-of-core transpose (<see cref="RowBucketSpool"/>).
/// Memory: 4 bytes a cell plus one block (or the spool's bound).
/// </summary>
public sealed class TenXMtxFolder : ICellSource
{
    private readonly MatrixMarketFile matrix;
    private readonly MatrixContext context;

    private TenXMtxFolder(string folder, MatrixMarketFile matrix, string[] geneIds, string[] cellIds, bool allowNegative)
    {
        Path = folder;
        this.matrix = matrix;
        GeneIds = geneIds;
        CellIds = cellIds;
        context = new MatrixContext(folder, System.IO.Path.GetFileName(matrix.Path), cellIds.Length, geneIds.Length, cellIds, geneIds, allowNegative);
    }

    public string Path { get; }

    public long CellCount => CellIds.Count;

    public IReadOnlyList<string> GeneIds { get; }

    public IReadOnlyList<string> CellIds { get; }

    public IReadOnlyList<string> ObsColumns => [];

    internal long MaxBucketEntries { get; set; } = RowBucketSpool.DefaultMaxBucketEntries;

    /// <summary>True when <paramref name="folder"/> holds a matrix.mtx(.gz).</summary>
    public static bool IsMatrixFolder(string folder) => FindFirst(folder, "matrix.mtx.gz", "matrix.mtx") is not null;

    public static TenXMtxFolder Open(string folder, CellSourceOptions? options = null)
    {
        options ??= CellSourceOptions.Default;
        TenXGeneColumns.RequireSingleMatrix(options.Matrix, folder);
        var geneColumn = TenXGeneColumns.Resolve(options.GeneIdColumn, folder);
        var matrixPath = FindFirst(folder, "matrix.mtx.gz", "matrix.mtx") ?? throw Missing(folder, "matrix.mtx(.gz)");
        var featuresPath = FindFirst(folder, "features.tsv.gz", "features.tsv", "genes.tsv.gz", "genes.tsv") ?? throw Missing(folder, "features.tsv(.gz) or genes.tsv");
        var barcodesPath = FindFirst(folder, "barcodes.tsv.gz", "barcodes.tsv") ?? throw Missing(folder, "barcodes.tsv(.gz)");

        var matrix = MatrixMarketFile.Open(matrixPath);
        var features = TextLines.ReadTsv(featuresPath);
        int column = geneColumn == TenXGeneColumn.EnsemblId ? 0 : 1;
        var geneIds = features.Select((row, i) => row.Length > column ? row[column]
            : throw new InvalidDataException($"{featuresPath}: line {i + 1} has no column {column + 1}")).ToArray();
        var cellIds = TextLines.ReadTsv(barcodesPath).Select(row => row[0]).ToArray();
        SourceIds.EnsureUniqueCells(cellIds, barcodesPath);
        if (matrix.Rows != geneIds.Length || matrix.Columns != cellIds.Length)
            throw new InvalidDataException(
                $"{matrixPath}: {matrix.Rows} genes x {matrix.Columns} cells, but {featuresPath} lists {geneIds.Length} genes and {barcodesPath} {cellIds.Length} barcodes");
        return new TenXMtxFolder(folder, matrix, SourceIds.MapSymbols(geneIds, options.SymbolToEnsembl), cellIds, options.AllowNegativeValues);
    }

    public IReadOnlyList<string?> ReadObsColumn(string name) =>
        throw new InvalidDataException($"{Path}: a 10x matrix folder has no per-cell metadata (no column '{name}')");

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerBlock, 1);
        var counts = new int[CellCount];
        bool orderedByCell = true;
        int previousCell = 0;
        foreach (var (_, cell, _) in matrix.ReadEntries())
        {
            counts[cell]++;
            orderedByCell &= cell >= previousCell;
            previousCell = cell;
        }
        return orderedByCell ? ReadOrdered(counts, cellsPerBlock) : ReadTransposed(counts, cellsPerBlock);
    }

    public void Dispose() { }

    private IEnumerable<CellBlock> ReadOrdered(int[] counts, int cellsPerBlock)
    {
        var builder = new CellBlockBuilder(context);
        using var entries = matrix.ReadEntries().GetEnumerator();
        for (long first = 0; first < CellCount; first += cellsPerBlock)
        {
            builder.Reset(first);
            long end = Math.Min(CellCount, first + cellsPerBlock);
            for (long cell = first; cell < end; cell++)
            {
                for (int k = 0; k < counts[cell]; k++)
                {
                    if (!entries.MoveNext()) throw new InvalidDataException($"{matrix.Path}: ended early; the file changed while being read");
                    builder.Add(entries.Current.Row, entries.Current.Value);
                }
                builder.EndCell();
            }
            yield return builder.Build();
        }
    }

    private IEnumerable<CellBlock> ReadTransposed(int[] counts, int cellsPerBlock)
    {
        using var spool = new RowBucketSpool(counts, cellsPerBlock, MaxBucketEntries);
        foreach (var (gene, cell, value) in matrix.ReadEntries()) spool.Add(cell, gene, value);
        foreach (var block in spool.ReadBlocks(new CellBlockBuilder(context))) yield return block;
    }

    private static string? FindFirst(string folder, params string[] names) =>
        names.Select(n => System.IO.Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static InvalidDataException Missing(string folder, string what) => new($"{folder}: not a 10x matrix folder: {what} is missing");
}
