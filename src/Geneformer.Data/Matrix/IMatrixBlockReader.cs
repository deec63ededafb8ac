namespace Geneformer.Data.Matrix;

/// <summary>Streams one stored matrix (a layout of one file format) as cell blocks.</summary>
internal interface IMatrixBlockReader
{
    IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock);

    /// <summary>The cells of <paramref name="range"/> only (already checked to lie within the matrix).</summary>
    IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock);
}
