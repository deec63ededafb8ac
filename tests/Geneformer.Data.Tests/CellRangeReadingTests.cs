using Geneformer.Data.Matrix;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

/// <summary>Reading a range of cells (what each MPI rank of <c>embed</c> reads) gives exactly those cells of the whole read, in every layout.</summary>
public class CellRangeReadingTests
{
    public static TheoryData<string[], bool> Inputs => new()
    {
        { ["cellxgene-schema", "small_perturbations.h5ad"], false }, // CSR
        { ["tiledbsoma", "pbmc-small-x-csc.h5ad"], true },           // CSC (transposed, then cut)
        { ["tiledbsoma", "pbmc-small-x-dense.h5ad"], true },         // dense
        { ["scanpy-10x", "3.0.0", "filtered_feature_bc_matrix.h5"], false }, // Cell Ranger .h5
        { ["scanpy-10x", "3.0.0", "filtered_feature_bc_matrix"], false },    // 10x matrix folder (default: the whole stream, cut)
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_range_holds_exactly_those_cells_of_the_whole_read(string[] file, bool negativeValues)
    {
        using var source = CellSources.Open(SharedData.File(file), new CellSourceOptions { AllowNegativeValues = negativeValues });
        var all = CellContents.Read(source);
        var n = source.CellCount;
        foreach (var (first, count, block) in new (long, long, int)[] { (0, n, 1024), (3, n - 3, 7), (n / 3, n / 3, 5), (n - 1, 1, 4), (n / 2, 0, 3), (0, n / 2, 1) })
        {
            var range = new CellRange(first, count);
            var read = ReadRange(source, range, block, out var firstCells);
            Assert.Equal(firstCells.Order(), firstCells); // blocks in file order
            if (count > 0) Assert.Equal(first, firstCells[0]);
            CellContents.AssertEqual(all.GetRange((int)first, (int)count), read);
        }
    }

    [Fact]
    public void A_range_past_the_last_cell_names_the_file_and_the_cells()
    {
        var path = SharedData.File("cellxgene-schema", "small_perturbations.h5ad");
        using var source = CellSources.Open(path);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadBlocks(new CellRange(400, 101), 64).ToList());
        Assert.Contains(path, e.Message);
        Assert.Contains("cells 400..500", e.Message);
        Assert.Contains("500 cells", e.Message);
    }

    [Fact]
    public void Cutting_a_block_keeps_each_cells_genes_and_values()
    {
        var block = new CellBlock(10, [0, 2, 2, 5], [4, 1, 0, 3, 2], [1f, 2f, 3f, 4f, 5f]);
        var cut = CellBlockSlicing.Cut(block, 1, 2);
        Assert.Equal(11, cut.FirstCell);
        Assert.Equal([0, 0, 3], cut.IndPtr);
        Assert.Equal([0, 3, 2], cut.GeneIndices);
        Assert.Equal([3f, 4f, 5f], cut.Values);
        Assert.Throws<ArgumentOutOfRangeException>(() => CellBlockSlicing.Cut(block, 2, 2));
    }

    private static List<(string Gene, float Value)[]> ReadRange(ICellSource source, CellRange range, int cellsPerBlock, out List<long> firstCells)
    {
        var cells = new List<(string, float)[]>();
        firstCells = [];
        foreach (var block in source.ReadBlocks(range, cellsPerBlock))
        {
            Assert.InRange(block.CellCount, 1, cellsPerBlock);
            Assert.Equal(range.First + cells.Count, block.FirstCell);
            firstCells.Add(block.FirstCell);
            for (int c = 0; c < block.CellCount; c++)
            {
                var span = block.IndPtr[c]..block.IndPtr[c + 1];
                cells.Add(block.GeneIndices[span].Zip(block.Values[span], (g, v) => (source.GeneIds[g], v)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToArray());
            }
        }
        return cells;
    }
}
