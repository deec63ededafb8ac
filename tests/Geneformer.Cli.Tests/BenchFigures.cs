using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>Reads <c>geneformer bench --json</c> output: one figure per line.</summary>
public static class BenchFigures
{
    public static List<JsonElement> Parse(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    public static JsonElement Single(this List<JsonElement> figures, string name) => Assert.Single(figures, f => f.GetProperty("name").GetString() == name);

    public static double Value(this JsonElement figure) => figure.GetProperty("value").GetDouble();

    public static double Number(this JsonElement figure, string property) => figure.GetProperty(property).GetDouble();

    /// <summary>The figure's value, asserted to be a positive finite number.</summary>
    public static double Positive(this JsonElement figure)
    {
        var v = figure.Value();
        Assert.True(double.IsFinite(v) && v > 0, $"{figure.GetProperty("name")} = {v}");
        return v;
    }
}
