using System.Text.Json;

namespace Geneformer.Data.Tests.TestData;

/// <summary>One matrix's statistics in expected.json, as anndata/scipy report them (see make_expected.py).</summary>
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
