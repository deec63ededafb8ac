using System.Globalization;
using System.Text.Json;

namespace Geneformer.Training.Metrics;

/// <summary>One JSON object per line (metrics.jsonl) plus a short console line; both flushed every write.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly StreamWriter? file;
    private readonly TextWriter console;

    public MetricsWriter(string? path, TextWriter console)
    {
        this.console = console;
        if (path is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        file = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    /// <summary>Writes the whole record to the file, and the keys in <paramref name="consoleKeys"/> (all when null; none: no console line) to the console.</summary>
    public void Write(IReadOnlyDictionary<string, object?> record, IReadOnlyCollection<string>? consoleKeys = null)
    {
        // JSON has no NaN or infinity (a diverged loss, grad_norm without clipping): they are written as null.
        file?.WriteLine(JsonSerializer.Serialize(record.ToDictionary(kv => kv.Key, kv => kv.Value is double d && !double.IsFinite(d) ? null : kv.Value)));
        var shown = record.Where(kv => kv.Value is not null && (consoleKeys is null || consoleKeys.Contains(kv.Key))).ToList();
        if (shown.Count == 0) return;
        console.WriteLine(string.Join("  ", shown.Select(kv => $"{kv.Key}={Format(kv.Value!)}")));
    }

    private static string Format(object v) => v switch
    {
        double d when Math.Abs(d) is >= 1e4 or (< 1e-3 and > 0) => d.ToString("0.###e+0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public void Dispose() => file?.Dispose();
}
