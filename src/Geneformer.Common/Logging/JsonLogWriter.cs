using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Geneformer.Common.Logging;

/// <summary>
/// A console writer that turns every line into one JSON object: time (UTC, ISO 8601), level, rank, node, generation and
/// the message. The level comes from the line's own prefix (<c>error:</c>, <c>warning</c>, and the <c>fail</c>,
/// <c>crit</c>, <c>warn</c>, <c>info</c> of .NET's console logger), else <paramref name="level"/>.
/// </summary>
public sealed partial class JsonLogWriter(TextWriter inner, string level) : TextWriter
{
    private readonly StringBuilder line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (line)
        {
            if (value == '\n') Emit();
            else if (value != '\r') line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (line) foreach (var c in value) Write(c);
    }

    public override void WriteLine(string? value)
    {
        lock (line)
        {
            line.Append(value);
            Emit();
        }
    }

    public override void Flush()
    {
        lock (line) inner.Flush();
    }

    private void Emit()
    {
        var message = line.ToString();
        line.Clear();
        if (message.Length == 0) return;
        var m = Prefix().Match(message);
        var lineLevel = !m.Success ? level : m.Groups[1].Value switch
        {
            "error" or "fail" or "crit" => "error",
            "warning" or "warn" => "warning",
            "debug" or "dbug" or "trce" => "debug",
            _ => "info",
        };
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTime.UtcNow.ToString("O"));
            json.WriteString("level", lineLevel);
            if (LogContext.Rank is { } rank) json.WriteNumber("rank", rank);
            json.WriteString("node", LogContext.Node);
            if (LogContext.Generation is { } generation) json.WriteNumber("generation", generation);
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        inner.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        inner.Flush();
    }

    [GeneratedRegex(@"^(error|warning|fail|crit|warn|info|debug|dbug|trce)\b")]
    private static partial Regex Prefix();
}
