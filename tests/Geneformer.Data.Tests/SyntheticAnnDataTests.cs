using Geneformer.Data.AnnData;
using Geneformer.Data.Matrix;
using Geneformer.TestSupport;
using PureHDF;

namespace Geneformer.Data.Tests;

/// <summary>Small AnnData files written here with PureHDF for cases no shared file has (uint values, int64 indices, duplicates, inf).</summary>
public class SyntheticAnnDataTests
{
    private static readonly float[,] Dense =
    {
        { 0, 3, 0, 1 },
        { 0, 0, 0, 0 },
        { 7, 0, 2, 0 },
        { 0, 5, 0, 9 },
        { 4, 0, 0, 6 },
    };

    private static H5Group Frame(string[] index) => new()
    {
        ["_index"] = index,
        Attributes = new() { ["_index"] = "_index", ["encoding-type"] = "dataframe", ["encoding-version"] = "0.2.0", ["column-order"] = Array.Empty<string>() },
    };

    private static string[] Cells(int n) => Enumerable.Range(0, n).Select(i => $"cell{i}").ToArray();

    private static readonly string[] GeneNames = ["ENSG01", "ENSG02", "ENSG03", "ENSG04"];

    private static (long[] Pointers, long[] Indices, ushort[] Values) Compress(bool byRow)
    {
        int major = byRow ? Dense.GetLength(0) : Dense.GetLength(1), minor = byRow ? Dense.GetLength(1) : Dense.GetLength(0);
        var pointers = new List<long> { 0 };
        var indices = new List<long>();
        var values = new List<ushort>();
        for (int i = 0; i < major; i++)
        {
            for (int j = 0; j < minor; j++)
            {
                var v = byRow ? Dense[i, j] : Dense[j, i];
                if (v != 0) { indices.Add(j); values.Add((ushort)v); }
            }
            pointers.Add(indices.Count);
        }
        return (pointers.ToArray(), indices.ToArray(), values.ToArray());
    }

    private static string Write(TempDir tmp, string name, object x, string[]? cells = null)
    {
        var path = tmp[name];
        new H5File { ["obs"] = Frame(cells ?? Cells(Dense.GetLength(0))), ["var"] = Frame(GeneNames), ["X"] = x }.Write(path);
        return path;
    }

    private static H5Group Sparse(bool byRow)
    {
        var (pointers, indices, values) = Compress(byRow);
        return new H5Group
        {
            ["data"] = values,
            ["indices"] = indices,
            ["indptr"] = pointers,
            Attributes = new()
            {
                ["encoding-type"] = byRow ? "csr_matrix" : "csc_matrix",
                ["encoding-version"] = "0.1.0",
                ["shape"] = new long[] { Dense.GetLength(0), Dense.GetLength(1) },
            },
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1024)]
    public void Uint16_values_with_int64_indices_read_the_same_as_csr_csc_and_dense(int cellsPerBlock)
    {
        using var tmp = new TempDir();
        using var csr = AnnDataFile.Open(Write(tmp, "csr.h5ad", Sparse(byRow: true)));
        using var csc = AnnDataFile.Open(Write(tmp, "csc.h5ad", Sparse(byRow: false)));
        var denseInts = new int[Dense.GetLength(0), Dense.GetLength(1)];
        for (int r = 0; r < Dense.GetLength(0); r++) for (int g = 0; g < Dense.GetLength(1); g++) denseInts[r, g] = (int)Dense[r, g];
        using var dense = AnnDataFile.Open(Write(tmp, "dense.h5ad", denseInts));

        foreach (var source in new ICellSource[] { csr, csc, dense })
        {
            var seen = new float[Dense.GetLength(0), Dense.GetLength(1)];
            var cells = CellContents.Read(source, cellsPerBlock);
            for (int c = 0; c < cells.Count; c++)
                foreach (var (gene, value) in cells[c]) seen[c, Array.IndexOf(GeneNames, gene)] = value;
            Assert.Equal(Dense.Cast<float>(), seen.Cast<float>());
            Assert.Empty(cells[1]);
        }
    }

    [Fact]
    public void Duplicate_cell_ids_are_an_error()
    {
        using var tmp = new TempDir();
        var cells = Cells(Dense.GetLength(0));
        cells[3] = cells[1];
        var path = Write(tmp, "dup.h5ad", Dense, cells);
        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("duplicate cell id 'cell1' at cells 1 and 3", e.Message);
    }

    [Fact]
    public void Infinity_is_an_error_naming_cell_and_gene()
    {
        using var tmp = new TempDir();
        var values = (float[,])Dense.Clone();
        values[2, 3] = float.PositiveInfinity;
        var path = Write(tmp, "inf.h5ad", values);
        using var source = AnnDataFile.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => source.ReadBlocks(2).ToList());
        Assert.Contains($"{path}: X has infinite value", e.Message);
        Assert.Contains("cell 2 ('cell2'), gene 3 ('ENSG04')", e.Message);
    }

    [Fact]
    public void Shape_that_disagrees_with_obs_and_var_is_an_error()
    {
        using var tmp = new TempDir();
        var path = Write(tmp, "short.h5ad", Dense, Cells(4));
        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path));
        Assert.Contains("(5, 4)", e.Message);
        Assert.Contains("expected (4, 4)", e.Message);
    }
}
