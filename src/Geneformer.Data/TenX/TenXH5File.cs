using Geneformer.Data.AnnData;
using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.VOL.Native;

namespace Geneformer.Data.TenX;

/// <summary>
/// A Cell Ranger HDF5 matrix: v3 (<c>matrix/</c> with <c>features/id</c>) or v1/v2 (one group per genome with
/// <c>genes</c>). Stored genes x cells as CSC, i.e. compressed by cell, so cells stream in row blocks directly.
/// </summary>
public sealed class TenXH5File : ICellSource
{
    private readonly NativeFile file;
    private readonly IMatrixBlockReader reader;

    private TenXH5File(string path, NativeFile file, string[] geneIds, string[] cellIds, Func<MatrixContext, IMatrixBlockReader> reader, bool allowNegative)
    {
        Path = path;
        this.file = file;
        GeneIds = geneIds;
        CellIds = cellIds;
        this.reader = reader(new MatrixContext(path, "matrix", cellIds.Length, geneIds.Length, cellIds, geneIds, allowNegative));
    }

    public string Path { get; }

    public long CellCount => CellIds.Count;

    public IReadOnlyList<string> GeneIds { get; }

    public IReadOnlyList<string> CellIds { get; }

    public IReadOnlyList<string> ObsColumns => [];

    /// <summary>The group holding the matrix ("matrix" for v3, the genome name for v1/v2), or null if this is no Cell Ranger file.</summary>
    internal static string? FindMatrixGroup(IH5Group root)
    {
        if (root.LinkExists("matrix/indptr") && root.LinkExists("matrix/features/id")) return "matrix";
        return root.Children().OfType<IH5Group>().Select(g => g.Name).FirstOrDefault(name => root.LinkExists($"{name}/indptr") && root.LinkExists($"{name}/genes"));
    }

    public static TenXH5File Open(string path, CellSourceOptions? options = null)
    {
        options ??= CellSourceOptions.Default;
        LzfFilter.EnsureRegistered();
        TenXGeneColumns.RequireSingleMatrix(options.Matrix, path);
        var geneColumn = TenXGeneColumns.Resolve(options.GeneIdColumn, path);
        var file = H5Guard.Run($"{path}: HDF5 file", () => H5File.OpenRead(path));
        try
        {
            return H5Guard.Run($"{path}: HDF5 structure", () => Open(path, file, options, geneColumn));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static TenXH5File Open(string path, NativeFile file, CellSourceOptions options, TenXGeneColumn geneColumn)
    {
        var groupName = FindMatrixGroup(file)
            ?? throw new InvalidDataException($"{path}: not a Cell Ranger HDF5 matrix (no matrix/ group with features/id, nor a genome group with genes)");
        var group = file.Group(groupName);
        var where = $"{path}: {groupName}";
        bool v3 = groupName == "matrix";
        var genesPath = geneColumn == TenXGeneColumn.EnsemblId ? (v3 ? "features/id" : "genes") : (v3 ? "features/name" : "gene_names");
        var geneIds = Strings(group, genesPath, where);
        var cellIds = Strings(group, "barcodes", where);
        SourceIds.EnsureUniqueCells(cellIds, $"{where}/barcodes");
        var shape = H5Numbers.ReadInt64(Dataset(group, "shape", where), $"{where}/shape");
        if (shape.Length != 2 || shape[0] != geneIds.Length || shape[1] != cellIds.Length)
            throw new InvalidDataException($"{where}/shape: ({string.Join(", ", shape)}); expected ({geneIds.Length} genes, {cellIds.Length} barcodes)");
        var data = Dataset(group, "data", where);
        var indices = Dataset(group, "indices", where);
        var indptr = Dataset(group, "indptr", where);
        if (H5Numbers.Length(indptr) != cellIds.Length + 1)
            throw new InvalidDataException($"{where}/indptr: {H5Numbers.Length(indptr)} entries; expected {cellIds.Length + 1}");
        return new TenXH5File(path, file, SourceIds.MapSymbols(geneIds, options.SymbolToEnsembl), cellIds,
            context => new H5CompressedRowsReader(data, indices, indptr, where, context), options.AllowNegativeValues);
    }

    public IReadOnlyList<string?> ReadObsColumn(string name) =>
        throw new InvalidDataException($"{Path}: a Cell Ranger HDF5 matrix has no per-cell metadata (no column '{name}')");

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024) => reader.ReadBlocks(cellsPerBlock);

    public IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock = 1024)
    {
        range.EnsureWithin(CellCount, Path);
        return reader.ReadBlocks(range, cellsPerBlock);
    }

    public void Dispose() => file.Dispose();

    private static IH5Dataset Dataset(IH5Group group, string name, string where) =>
        group.LinkExists(name) && group.Get(name) is IH5Dataset dataset ? dataset : throw new InvalidDataException($"{where}: '{name}' dataset is missing");

    private static string[] Strings(IH5Group group, string name, string where) =>
        H5Text.ReadAll(Dataset(group, name, where), $"{where}/{name}").Select(s => s ?? "").ToArray();
}
