using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.VOL.Native;

namespace Geneformer.Data.AnnData;

/// <summary>
/// Streams an AnnData CSC matrix (genes major) by cell: a counting pass over indices, then an out-of-core
/// transpose through <see cref="RowBucketSpool"/>. Memory: indptr over genes, 4 bytes a cell, chunks of
/// <see cref="ChunkEntries"/> stored values, two 16 MiB chunk caches, and the spool's bound (one bucket held twice,
/// about 50 MB by default, plus its write buffers).
/// </summary>
internal sealed class H5CompressedColumnsReader(IH5Dataset data, IH5Dataset indices, IH5Dataset indptr, string where, MatrixContext context)
    : IMatrixBlockReader
{
    private const long ChunkEntries = 1 << 20;

    internal long MaxBucketEntries { get; init; } = RowBucketSpool.DefaultMaxBucketEntries;

    /// <summary>A transpose has to pass over the whole matrix anyway: the full stream, cut to the range.</summary>
    public IEnumerable<CellBlock> ReadBlocks(CellRange range, int cellsPerBlock) => CellBlockSlicing.Slice(ReadBlocks(cellsPerBlock), range);

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerBlock, 1);
        var columnPointers = H5Numbers.ReadInt64(indptr, $"{where}/indptr");
        long nnz = H5Numbers.Length(data);
        if (columnPointers.Length != context.GeneCount + 1 || columnPointers[^1] != nnz)
            throw new InvalidDataException($"{where}/indptr: {columnPointers.Length} entries ending at {columnPointers[^1]}; expected {context.GeneCount + 1} ending at {nnz}");

        H5DatasetAccess indicesAccess = H5Numbers.CachedAccess(), dataAccess = H5Numbers.CachedAccess();
        var rowCounts = new int[context.CellCount];
        for (long start = 0; start < nnz; start += ChunkEntries)
        {
            var rows = H5Numbers.ReadIndices(indices, $"{where}/indices", start, Math.Min(ChunkEntries, nnz - start), indicesAccess);
            foreach (int row in rows)
            {
                if (row >= rowCounts.Length) throw new InvalidDataException($"{where}/indices: cell index {row} but the matrix has {rowCounts.Length} cells");
                rowCounts[row]++;
            }
        }

        using var spool = new RowBucketSpool(rowCounts, cellsPerBlock, MaxBucketEntries);
        int gene = 0;
        for (long start = 0; start < nnz; start += ChunkEntries)
        {
            long count = Math.Min(ChunkEntries, nnz - start);
            var rows = H5Numbers.ReadIndices(indices, $"{where}/indices", start, count, indicesAccess);
            var values = H5Numbers.ReadSingle(data, $"{where}/data", start, count, dataAccess);
            for (int k = 0; k < count; k++)
            {
                while (columnPointers[gene + 1] <= start + k) gene++;
                spool.Add(rows[k], gene, values[k]);
            }
        }
        foreach (var block in spool.ReadBlocks(new CellBlockBuilder(context))) yield return block;
    }
}
