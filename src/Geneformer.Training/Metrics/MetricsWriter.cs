using System.Globalization;
using System.Text.Json;

namespace Geneformer.Training.Metrics;

/// <summary>
/// One JSON object per line (metrics.jsonl) plus a short console line, both flushed every write; and, once opened,
/// every number of each record as a TensorBoard scalar of the same name at the record's step.
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly StreamWriter? file;
    private readonly TextWriter console;
    private TensorBoardWriter? board;

    public MetricsWriter(string? path, TextWriter console)
    {
        this.console = console;
        if (path is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        file = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    /// <summary>Also writes every later record to a new TensorBoard event file in <paramref name="dir"/> (see <see cref="TensorBoardWriter"/> for <paramref name="purgeFrom"/>).</summary>
    public TensorBoardWriter OpenTensorBoard(string dir, long? purgeFrom)
    {
        board?.Dispose();
        return board = new TensorBoardWriter(dir, purgeFrom);
    }

    /// <summary>
    /// Writes the whole record to the file (and its numbers to TensorBoard unless <paramref name="toTensorBoard"/> is false),
    /// and the keys in <paramref name="consoleKeys"/> (all when null; none: no console line) to the console.
    /// </summary>
    public void Write(IReadOnlyDictionary<string, object?> record, IReadOnlyCollection<string>? consoleKeys = null, bool toTensorBoard = true)
    {
        if (toTensorBoard && board is not null && record.TryGetValue("step", out var step) && step is not null)
        {
            board.AddScalars(Convert.ToInt64(step, CultureInfo.InvariantCulture), record.Where(kv => kv.Key != "step" && kv.Value is double or float or int or long)
                .Select(kv => (kv.Key, Convert.ToDouble(kv.Value, CultureInfo.InvariantCulture))).Where(v => double.IsFinite(v.Item2)));
            if (record.TryGetValue("warning", out var warning) && warning is string text) board.AddText(Convert.ToInt64(step, CultureInfo.InvariantCulture), "warning", text);
        }
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

    /// <summary>A logged training step; its console line only when <paramref name="console"/>.</summary>
    public void WriteStep(StepRecord step, bool console) => Write(step.ToRecord(), console ? StepRecord.ConsoleKeys : []);

    /// <summary>Makes what was written visible to TensorBoard (metrics.jsonl is flushed at every write).</summary>
    public void Flush() => board?.Flush();

    public void Dispose()
    {
        file?.Dispose();
        board?.Dispose();
    }
}
