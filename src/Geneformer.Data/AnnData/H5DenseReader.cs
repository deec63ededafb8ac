using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.VOL.Native;
using PureHDF.Selections;

namespace Geneformer.Data.AnnData;

/// <summary>
/// Streams a dense 2-D cells x genes dataset in row slabs. Memory: one slab of at most <see cref="MaxSlabElements"/>
/// values (fewer rows than the block when genes are many), the block being built, and a 64 MiB chunk cache (a slab
/// usually cuts through chunks that the next slab needs again).
/// </summary>
internal sealed class H5DenseReader(IH5Dataset dataset, string where, MatrixContext context) : IMatrixBlockReader
{
    private const long MaxSlabElements = 4 << 20;

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock) => ReadBlocks(CellRange.All(context.CellCount), cellsPerBlock);

    public IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerBlock, 1);
        int genes = context.GeneCount;
        int rowsPerSlab = (int)Math.Clamp(MaxSlabElements / Math.Max(1, genes), 1, cellsPerBlock);
        var builder = new CellBlockBuilder(context);
        H5DatasetAccess access = H5Numbers.CachedAccess(64 << 20);
        for (long first = range.First; first < range.End; first += cellsPerBlock)
        {
            long end = Math.Min(range.End, first + cellsPerBlock);
            builder.Reset(first);
            for (long slab = first; slab < end; slab += rowsPerSlab)
            {
                long rows = Math.Min(rowsPerSlab, end - slab);
                var selection = new HyperslabSelection(rank: 2, starts: [(ulong)slab, 0], blocks: [(ulong)rows, (ulong)genes]);
                var values = genes == 0 ? [] : H5Numbers.ReadSingle(dataset, selection, where, access);
                for (int r = 0; r < rows; r++)
                {
                    int offset = r * genes;
                    for (int g = 0; g < genes; g++) builder.Add(g, values[offset + g]);
                    builder.EndCell();
                }
            }
            yield return builder.Build();
        }
    }
}
