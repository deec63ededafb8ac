namespace Geneformer.Data.Matrix;

/// <summary>
/// Consecutive cells of an expression matrix in CSR form. <see cref="IndPtr"/> has <c>CellCount + 1</c>
/// entries starting at 0; cell <c>i</c>'s genes are <c>GeneIndices[IndPtr[i]..IndPtr[i+1]]</c> (indices into
/// <see cref="ICellSource.GeneIds"/>) with expression <c>Values[...]</c> (raw counts where the file has them).
/// </summary>
public sealed record CellBlock(long FirstCell, int[] IndPtr, int[] GeneIndices, float[] Values)
{
    public int CellCount => IndPtr.Length - 1;
}
