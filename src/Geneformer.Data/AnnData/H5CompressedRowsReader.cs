using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.VOL.Native;

namespace Geneformer.Data.AnnData;

/// <summary>
/// Streams a compressed-sparse matrix whose major axis is cells (AnnData CSR; Cell Ranger's genes x cells CSC):
/// per block, one slice of indptr, then one slice each of indices and data. Memory: one block's entries plus
/// two chunk caches of 16 MiB.
/// </summary>
internal sealed class H5CompressedRowsReader(IH5Dataset data, IH5Dataset indices, IH5Dataset indptr, string where, MatrixContext context)
    : IMatrixBlockReader
{
    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock) => ReadBlocks(CellRange.All(context.CellCount), cellsPerBlock);

    public IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerBlock, 1);
        long nnz = H5Numbers.Length(data);
        var builder = new CellBlockBuilder(context);
        H5DatasetAccess indicesAccess = H5Numbers.CachedAccess(), dataAccess = H5Numbers.CachedAccess();
        for (long first = range.First; first < range.End; first += cellsPerBlock)
        {
            int cells = (int)Math.Min(cellsPerBlock, range.End - first);
            var pointers = H5Numbers.ReadInt64(indptr, $"{where}/indptr", first, cells + 1);
            for (int i = 0; i < cells; i++)
                if (pointers[i] < 0 || pointers[i] > pointers[i + 1] || pointers[i + 1] > nnz)
                    throw new InvalidDataException(
                        $"{where}/indptr: entries {first + i}..{first + i + 1} ({pointers[i]}, {pointers[i + 1]}) are not a valid range of the {nnz} stored values");
            long start = pointers[0], count = pointers[cells] - start;
            if (count > Array.MaxLength) throw new InvalidDataException($"{where}: cells {first}..{first + cells - 1} hold {count} values, too many for one block");
            var genes = H5Numbers.ReadIndices(indices, $"{where}/indices", start, count, indicesAccess);
            var values = H5Numbers.ReadSingle(data, $"{where}/data", start, count, dataAccess);
            builder.Reset(first);
            for (int i = 0; i < cells; i++)
            {
                for (long k = pointers[i] - start; k < pointers[i + 1] - start; k++) builder.Add(genes[k], values[k]);
                builder.EndCell();
            }
            yield return builder.Build();
        }
    }
}
