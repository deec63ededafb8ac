namespace Geneformer.Data.Matrix;

/// <summary>
/// A readable single-cell expression file (AnnData .h5ad, 10x .mtx folder or .h5): cells streamed in
/// bounded blocks, genes and cell metadata in memory.
/// </summary>
public interface ICellSource : IDisposable
{
    /// <summary>The file (or folder) read, for messages.</summary>
    string Path { get; }

    long CellCount { get; }

    /// <summary>Gene identifiers, one per matrix column (Ensembl ids where the file has them).</summary>
    IReadOnlyList<string> GeneIds { get; }

    /// <summary>Cell identifiers, one per row (obs index / barcodes).</summary>
    IReadOnlyList<string> CellIds { get; }

    /// <summary>Names of the per-cell metadata columns (obs).</summary>
    IReadOnlyList<string> ObsColumns { get; }

    /// <summary>A per-cell metadata column as strings (categoricals decoded, missing = null); throws naming the file and column if absent.</summary>
    IReadOnlyList<string?> ReadObsColumn(string name);

    /// <summary>Streams every cell in file order, <paramref name="cellsPerBlock"/> at a time.</summary>
    IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024);

    /// <summary>
    /// Streams the cells of <paramref name="range"/> in file order, at most <paramref name="cellsPerBlock"/> at a time;
    /// each block's <see cref="CellBlock.FirstCell"/> is the cell's index in the whole file. This default reads the
    /// stream from the start and keeps the range; sources that can seek to a cell (CSR and dense AnnData, Cell Ranger
    /// .h5) read only the range.
    /// </summary>
    IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock = 1024)
    {
        range.EnsureWithin(CellCount, Path);
        return CellBlockSlicing.Slice(ReadBlocks(cellsPerBlock), range);
    }
}
