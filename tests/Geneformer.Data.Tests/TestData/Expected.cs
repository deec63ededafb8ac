using System.Text.Json;

namespace Geneformer.Data.Tests.TestData;

/// <summary>Values anndata/scipy report for the shared data files (see make_expected.py beside this file).</summary>
public static class Expected
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "expected.json"))).RootElement);

    /// <summary>Relative paths (under shared/data) of every .h5ad file.</summary>
    public static IEnumerable<string> AnnDataFiles => Root.Value.GetProperty("anndata").EnumerateObject().Select(p => p.Name);

    public static JsonElement AnnData(string file) => Root.Value.GetProperty("anndata").GetProperty(file);

    /// <summary>Stats of one matrix of one file, keyed by the CellSourceOptions.Matrix value ("auto", "X", "raw", "layer:NAME").</summary>
    public static MatrixStats Matrix(string file, string option) => new(AnnData(file).GetProperty("matrices").GetProperty(option));

    public static IEnumerable<(string File, string Option)> AnnDataMatrices =>
        AnnDataFiles.SelectMany(f => AnnData(f).GetProperty("matrices").EnumerateObject().Select(m => (f, m.Name)));

    public static MatrixStats TenX(string input) => new(Root.Value.GetProperty("tenx").GetProperty(input));
}
