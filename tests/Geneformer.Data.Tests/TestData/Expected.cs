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

public sealed class MatrixStats(JsonElement e)
{
    public JsonElement Json => e;
    public string? Path => e.TryGetProperty("path", out var p) ? p.GetString() : null;
    public string? Layout => e.TryGetProperty("layout", out var p) ? p.GetString() : null;
    public long Cells => e.GetProperty("n_obs").GetInt64();
    public int Genes => e.GetProperty("n_vars").GetInt32();
    public bool Finite => e.GetProperty("finite").GetBoolean();
    public double Sum => e.GetProperty("sum").GetDouble();
    public long Nnz => e.GetProperty("nnz").GetInt64();
    public long Stored => e.GetProperty("stored").GetInt64();
    public double Min => e.GetProperty("min").GetDouble();
    public double Max => e.GetProperty("max").GetDouble();
    public int[] Rows => e.GetProperty("rows").EnumerateArray().Select(x => x.GetInt32()).ToArray();
    public int[] RowNnz => e.GetProperty("row_nnz").EnumerateArray().Select(x => x.GetInt32()).ToArray();
    public double[] RowSums => e.GetProperty("row_sums").EnumerateArray().Select(x => x.GetDouble()).ToArray();
    public string? FirstGene => e.GetProperty("first_gene").GetString();
    public string? LastGene => e.GetProperty("last_gene").GetString();
    public string FirstCell => e.GetProperty("first_cell").GetString()!;
    public string LastCell => e.GetProperty("last_cell").GetString()!;
    public string? FirstSymbol => e.TryGetProperty("first_symbol", out var p) ? p.GetString() : null;
    public string? LastSymbol => e.TryGetProperty("last_symbol", out var p) ? p.GetString() : null;
}
