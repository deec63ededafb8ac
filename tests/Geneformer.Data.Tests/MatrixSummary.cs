using Geneformer.Data.Matrix;
using Geneformer.Data.Tests.TestData;

namespace Geneformer.Data.Tests;

/// <summary>What a test checks of a streamed matrix: totals, per-cell nnz and sums, and that blocks are well formed.</summary>
public sealed class MatrixSummary
{
    public long Cells { get; private set; }
    public long Nnz { get; private set; }
    public double Sum { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public List<int> RowNnz { get; } = [];
    public List<double> RowSums { get; } = [];

    public static MatrixSummary Of(ICellSource source, int cellsPerBlock = 256)
    {
        var summary = new MatrixSummary();
        foreach (var block in source.ReadBlocks(cellsPerBlock)) summary.Add(block, cellsPerBlock, source.GeneIds.Count);
        Assert.Equal(source.CellCount, summary.Cells);
        return summary;
    }

    private void Add(CellBlock block, int cellsPerBlock, int genes)
    {
        Assert.Equal(Cells, block.FirstCell);
        Assert.True(block.CellCount >= 1 && block.CellCount <= cellsPerBlock, $"block of {block.CellCount} cells");
        Assert.Equal(0, block.IndPtr[0]);
        Assert.Equal(block.GeneIndices.Length, block.IndPtr[^1]);
        Assert.Equal(block.GeneIndices.Length, block.Values.Length);
        for (int c = 0; c < block.CellCount; c++)
        {
            double rowSum = 0;
            for (int k = block.IndPtr[c]; k < block.IndPtr[c + 1]; k++)
            {
                float v = block.Values[k];
                Assert.InRange(block.GeneIndices[k], 0, genes - 1);
                Assert.NotEqual(0f, v);
                rowSum += v;
                Min = Math.Min(Min, v);
                Max = Math.Max(Max, v);
            }
            RowNnz.Add(block.IndPtr[c + 1] - block.IndPtr[c]);
            RowSums.Add(rowSum);
            Sum += rowSum;
        }
        Nnz += block.GeneIndices.Length;
        Cells += block.CellCount;
    }

    public void AssertMatches(MatrixStats expected)
    {
        Assert.Equal(expected.Cells, Cells);
        Assert.Equal(expected.Nnz, Nnz);
        AssertClose(expected.Sum, Sum);
        if (Nnz > 0)
        {
            // anndata's min/max include the zeros of a dense or sparse matrix; ours are over non-zeros only.
            if (expected.Min != 0) AssertClose(expected.Min, Min);
            if (expected.Max != 0) AssertClose(expected.Max, Max);
        }
        var rows = expected.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected.RowNnz[i], RowNnz[rows[i]]);
            AssertClose(expected.RowSums[i], RowSums[rows[i]]);
        }
    }

    public static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
