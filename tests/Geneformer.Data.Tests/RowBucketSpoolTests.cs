using Geneformer.Data.Matrix;

namespace Geneformer.Data.Tests;

public class RowBucketSpoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 50)]
    [InlineData(64, 1_000_000)]
    public void Entries_in_any_order_come_back_as_rows_in_order(int cellsPerBlock, long maxBucketEntries)
    {
        const int cells = 300, genes = 40;
        var random = new Random(7);
        var dense = new float[cells, genes];
        var entries = new List<(int Row, int Column, float Value)>();
        var counts = new int[cells];
        for (int r = 0; r < cells; r++)
            for (int g = 0; g < genes; g++)
                if (random.NextDouble() < (r % 10 == 0 ? 0.0 : 0.2))
                {
                    dense[r, g] = random.Next(1, 100);
                    entries.Add((r, g, dense[r, g]));
                    counts[r]++;
                }
        var context = new MatrixContext("test", "X", cells, genes,
            Enumerable.Range(0, cells).Select(i => $"c{i}").ToArray(), Enumerable.Range(0, genes).Select(i => $"g{i}").ToArray(), false);

        using var spool = new RowBucketSpool(counts, cellsPerBlock, maxBucketEntries);
        if (maxBucketEntries < 100) Assert.True(spool.BucketCount > 10);
        foreach (var (row, column, value) in entries.OrderBy(_ => random.Next())) spool.Add(row, column, value);

        var seen = new float[cells, genes];
        long next = 0;
        foreach (var block in spool.ReadBlocks(new CellBlockBuilder(context)))
        {
            Assert.Equal(next, block.FirstCell);
            Assert.True(block.CellCount <= cellsPerBlock);
            for (int c = 0; c < block.CellCount; c++)
                for (int k = block.IndPtr[c]; k < block.IndPtr[c + 1]; k++)
                    seen[block.FirstCell + c, block.GeneIndices[k]] = block.Values[k];
            next += block.CellCount;
        }
        Assert.Equal(cells, next);
        Assert.Equal(dense.Cast<float>(), seen.Cast<float>());
    }

    [Fact]
    public void More_entries_than_counted_is_an_error()
    {
        using var spool = new RowBucketSpool([1, 0], cellsPerBlock: 1, maxBucketEntries: 1);
        spool.Add(0, 0, 1f);
        spool.Add(0, 1, 1f);
        var context = new MatrixContext("test", "X", 2, 2, ["a", "b"], ["g", "h"], false);
        Assert.Throws<InvalidDataException>(() => spool.ReadBlocks(new CellBlockBuilder(context)).ToList());
    }
}
