using Geneformer.Data.AnnData;
using Geneformer.Data.Matrix;
using Geneformer.Data.Tests.TestData;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

/// <summary>Every .h5ad in shared/data, every matrix in it, against what anndata 0.8.0 reports (TestData/expected.json).</summary>
public class AnnDataEveryFileTests
{
    public static TheoryData<string, string> ReadableMatrices()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, option) in Expected.AnnDataMatrices)
        {
            var stats = Expected.Matrix(file, option);
            if (stats.Finite && !(stats.Stored == 0 && stats.Layout != "Dense")) data.Add(file, option);
        }
        return data;
    }

    public static TheoryData<string> FilesWithoutMatrix()
    {
        var data = new TheoryData<string>();
        foreach (var file in Expected.AnnDataFiles)
            if (!Expected.AnnData(file).GetProperty("matrices").EnumerateObject().Any()) data.Add(file);
        return data;
    }

    public static TheoryData<string> AllFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Expected.AnnDataFiles) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadableMatrices))]
    public void Matrix_values_match_anndata(string file, string option)
    {
        var expected = Expected.Matrix(file, option);
        using var source = AnnDataFile.Open(SharedData.File(file), new CellSourceOptions { Matrix = option, AllowNegativeValues = expected.Min < 0 });

        Assert.Equal(expected.Path, source.MatrixPath);
        Assert.Equal(expected.Layout, source.Layout.ToString());
        Assert.Equal(expected.Cells, source.CellCount);
        Assert.Equal(expected.Genes, source.GeneIds.Count);
        Assert.Equal(expected.FirstGene, source.GeneIds[0]);
        Assert.Equal(expected.LastGene, source.GeneIds[^1]);
        Assert.Equal(expected.FirstCell, source.CellIds[0]);
        Assert.Equal(expected.LastCell, source.CellIds[^1]);
        MatrixSummary.Of(source).AssertMatches(expected);
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void Obs_columns_and_values_match_anndata(string file)
    {
        var expected = Expected.AnnData(file);
        var path = SharedData.File(file);
        // Files without a usable matrix (absent, or sparse with nnz = 0) do not open as a cell source: see the error tests.
        if (!expected.GetProperty("matrices").TryGetProperty("auto", out var auto) || new MatrixStats(auto) is { Stored: 0, Layout: not "Dense" }) return;
        using var source = AnnDataFile.Open(path, new CellSourceOptions { AllowNegativeValues = true });
        Assert.Equal(expected.GetProperty("obs_columns").EnumerateArray().Select(c => c.GetString()), source.ObsColumns);
        foreach (var column in expected.GetProperty("obs").EnumerateObject())
        {
            var values = source.ReadObsColumn(column.Name);
            Assert.Equal(source.CellCount, values.Count);
            Assert.Equal(column.Value.GetProperty("missing").GetInt32(), values.Count(v => v is null));
            var rows = column.Value.GetProperty("rows").EnumerateArray().Select(r => r.GetInt32()).ToArray();
            var want = column.Value.GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToArray();
            for (int i = 0; i < rows.Length; i++) AssertSameText(want[i], values[rows[i]], $"{file} obs/{column.Name}[{rows[i]}]");
        }
    }

    [Theory]
    [MemberData(nameof(FilesWithoutMatrix))]
    public void File_without_any_matrix_is_an_error_naming_file_and_what_exists(string file)
    {
        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(SharedData.File(file)));
        Assert.StartsWith($"{SharedData.File(file)}: no expression matrix at 'X'", e.Message);
        Assert.Contains("no matrix at all", e.Message);
    }

    /// <summary>Numbers compare by value (Python and .NET spell floats differently: 1e-05 vs 1E-05).</summary>
    private static void AssertSameText(string? expected, string? actual, string what)
    {
        if (expected is not null && actual is not null
            && double.TryParse(expected, System.Globalization.CultureInfo.InvariantCulture, out var e)
            && double.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, out var a))
        {
            Assert.True(Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e)), $"{what}: expected {expected}, got {actual}");
            return;
        }
        Assert.True(expected == actual, $"{what}: expected '{expected}', got '{actual}'");
    }
}
