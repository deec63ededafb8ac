namespace Geneformer.Data.Matrix;

/// <summary>Streams one stored matrix (a layout of one file format) as cell blocks.</summary>
internal interface IMatrixBlockReader
{
    IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock);
}
