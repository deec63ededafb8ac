using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.VOL.Native;

namespace Geneformer.Data.AnnData;

/// <summary>
/// An AnnData .h5ad file read through PureHDF: cell and gene ids and obs metadata in memory, the chosen matrix
/// (raw/X, X or a layer; CSR, CSC or dense; any numeric type) streamed in cell blocks.
/// A sparse matrix with no stored values (nnz = 0) is rejected when the file is opened: it carries no expression
/// to tokenise, and failing early says so instead of silently yielding empty cells.
/// </summary>
public sealed class AnnDataFile : ICellSource
{
    private readonly NativeFile file;
    private readonly AnnDataFrame obs;
    private readonly IMatrixBlockReader reader;

    private AnnDataFile(string path, NativeFile file, AnnDataFrame obs, string matrixPath, AnnDataMatrixLayout layout,
        string[] cellIds, string[] geneIds, IMatrixBlockReader reader)
    {
        Path = path;
        this.file = file;
        this.obs = obs;
        MatrixPath = matrixPath;
        Layout = layout;
        CellIds = cellIds;
        GeneIds = geneIds;
        this.reader = reader;
    }

    public string Path { get; }

    /// <summary>The matrix read: "raw/X", "X" or "layers/NAME".</summary>
    public string MatrixPath { get; }

    public AnnDataMatrixLayout Layout { get; }

    public long CellCount => CellIds.Count;

    public IReadOnlyList<string> GeneIds { get; }

    public IReadOnlyList<string> CellIds { get; }

    public IReadOnlyList<string> ObsColumns => obs.Columns;

    public static AnnDataFile Open(string path, CellSourceOptions? options = null)
    {
        options ??= CellSourceOptions.Default;
        LzfFilter.EnsureRegistered();
        var file = H5Guard.Run($"{path}: HDF5 file", () => H5File.OpenRead(path));
        try
        {
            return H5Guard.Run($"{path}: HDF5 structure", () => Open(path, file, options));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static AnnDataFile Open(string path, NativeFile root, CellSourceOptions options)
    {
        var choice = AnnDataMatrixChoice.Resolve(root, options.Matrix, path);
        var obs = AnnDataFrame.Open(root, "obs", path);
        var var = AnnDataFrame.Open(root, choice.VarPath, path);
        var cellIds = obs.ReadIndex();
        SourceIds.EnsureUniqueCells(cellIds, $"{path}: obs index");
        var geneIds = SourceIds.MapSymbols(ReadGeneIds(var, options.GeneIdColumn), options.SymbolToEnsembl);

        var where = $"{path}: {choice.MatrixPath}";
        var context = new MatrixContext(path, choice.MatrixPath, cellIds.Length, geneIds.Length, cellIds, geneIds, options.AllowNegativeValues);
        var (layout, reader) = H5Guard.Run(where, () => root.Get(choice.MatrixPath)) switch
        {
            IH5Dataset dense => (AnnDataMatrixLayout.Dense, OpenDense(dense, where, context)),
            IH5Group sparse => OpenSparse(sparse, where, context),
            _ => throw new InvalidDataException($"{where}: expected a dense dataset or a sparse matrix group"),
        };
        return new AnnDataFile(path, root, obs, choice.MatrixPath, layout, cellIds, geneIds, reader);
    }

    public IReadOnlyList<string?> ReadObsColumn(string name) => H5Guard.Run($"{Path}: obs/{name}", () => obs.ReadColumn(name));

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024) => reader.ReadBlocks(cellsPerBlock);

    public IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock = 1024)
    {
        range.EnsureWithin(CellCount, Path);
        return reader.ReadBlocks(range, cellsPerBlock);
    }

    public void Dispose() => file.Dispose();

    private static string[] ReadGeneIds(AnnDataFrame var, string? column)
    {
        if (column is null || column == var.IndexName) return var.ReadIndex();
        if (!var.HasColumn(column))
            throw new InvalidDataException(
                $"{var.Where} has no column '{column}' to take gene ids from (index: '{var.IndexName}'; columns: {(var.Columns.Count == 0 ? "none" : string.Join(", ", var.Columns))})");
        return var.ReadColumn(column).Select(id => id ?? "").ToArray();
    }

    private static IMatrixBlockReader OpenDense(IH5Dataset dataset, string where, MatrixContext context)
    {
        var dims = dataset.Space.Dimensions;
        if (dims.Length != 2 || (long)dims[0] != context.CellCount || (long)dims[1] != context.GeneCount)
            throw new InvalidDataException(
                $"{where}: dense matrix of shape ({string.Join(", ", dims)}); expected ({context.CellCount}, {context.GeneCount}) from obs and var");
        if (!H5Numbers.IsNumeric(dataset.Type))
            throw new InvalidDataException($"{where}: expected numbers, found HDF5 {dataset.Type.Class}");
        return new H5DenseReader(dataset, where, context);
    }

    private static (AnnDataMatrixLayout, IMatrixBlockReader) OpenSparse(IH5Group group, string where, MatrixContext context)
    {
        // 0.7+: encoding-type csr_matrix/csc_matrix and shape; pre-0.7: h5sparse_format csr/csc and h5sparse_shape.
        var format = H5Text.StringAttribute(group, "encoding-type") ?? H5Text.StringAttribute(group, "h5sparse_format");
        var layout = format switch
        {
            "csr_matrix" or "csr" => AnnDataMatrixLayout.Csr,
            "csc_matrix" or "csc" => AnnDataMatrixLayout.Csc,
            _ => throw new InvalidDataException($"{where}: unsupported matrix encoding '{format ?? "(none)"}' (expected csr_matrix or csc_matrix)"),
        };
        var shape = H5Text.IntegerArrayAttribute(group, "shape") ?? H5Text.IntegerArrayAttribute(group, "h5sparse_shape");
        if (shape is not null && (shape.Length != 2 || shape[0] != context.CellCount || shape[1] != context.GeneCount))
            throw new InvalidDataException(
                $"{where}: sparse matrix of shape ({string.Join(", ", shape)}); expected ({context.CellCount}, {context.GeneCount}) from obs and var");

        var data = Member(group, "data", where);
        var indices = Member(group, "indices", where);
        var indptr = Member(group, "indptr", where);
        long nnz = H5Numbers.Length(data);
        if (H5Numbers.Length(indices) != nnz)
            throw new InvalidDataException($"{where}: indices has {H5Numbers.Length(indices)} entries but data has {nnz}");
        long major = layout == AnnDataMatrixLayout.Csr ? context.CellCount : context.GeneCount;
        if (H5Numbers.Length(indptr) != major + 1)
            throw new InvalidDataException($"{where}/indptr: {H5Numbers.Length(indptr)} entries; expected {major + 1}");
        if (nnz == 0)
            throw new InvalidDataException(
                $"{where}: the matrix is empty ({context.CellCount} x {context.GeneCount} with no stored values); there is no expression to read. " +
                "Choose another matrix (raw, or layer:NAME) if the file keeps its counts elsewhere.");
        if (!H5Numbers.IsNumeric(data.Type)) throw new InvalidDataException($"{where}/data: expected numbers, found HDF5 {data.Type.Class}");

        return layout == AnnDataMatrixLayout.Csr
            ? (layout, new H5CompressedRowsReader(data, indices, indptr, where, context))
            : (layout, new H5CompressedColumnsReader(data, indices, indptr, where, context));
    }

    private static IH5Dataset Member(IH5Group group, string name, string where) =>
        group.LinkExists(name) && group.Get(name) is IH5Dataset dataset
            ? dataset
            : throw new InvalidDataException($"{where}: sparse matrix has no '{name}' dataset");
}
