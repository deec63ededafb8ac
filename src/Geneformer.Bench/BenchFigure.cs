using System.Globalization;
using System.Text.Json;

namespace Geneformer.Bench;

/// <summary>One measured figure: what was measured, the value and its unit, and the conditions it was measured under.</summary>
public sealed record BenchFigure(string Name, double Value, string Unit, IReadOnlyDictionary<string, object> Details)
{
    public string ToJson()
    {
        var o = new Dictionary<string, object> { ["name"] = Name, ["value"] = Value, ["unit"] = Unit };
        foreach (var (k, v) in Details) o[k] = v;
        return JsonSerializer.Serialize(o);
    }

    public static BenchFigure FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var details = new Dictionary<string, object>();
        foreach (var p in root.EnumerateObject())
            if (p.Name is not ("name" or "value" or "unit"))
                details[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : p.Value.ToString();
        return new BenchFigure(root.GetProperty("name").GetString()!, root.GetProperty("value").GetDouble(), root.GetProperty("unit").GetString()!, details);
    }

    public string ToText() =>
        $"{Name,-28} {Value.ToString(Value >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture),14} {Unit,-10} " +
        string.Join("  ", Details.Select(kv => $"{kv.Key}={Format(kv.Value)}"));

    private static string Format(object v) => v switch
    {
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
