using System.Globalization;
using Geneformer.Common;
using System.Text;

namespace Geneformer.Training.Metrics;

/// <summary>
/// Rank 0's console on a terminal: one progress line (step of max, loss, tokens/s, ETA) redrawn in place, and every
/// other line written above it. Off a terminal (a pipe, a file, a log collector) the trainer prints plain lines instead.
/// </summary>
public sealed class ConsoleProgress(TextWriter terminal) : TextWriter
{
    private const string ClearLine = "\r\u001b[K";
    private readonly Queue<(long Step, DateTimeOffset Time)> recent = new();
    private string? shown;

    public override Encoding Encoding => terminal.Encoding;

    /// <summary>Redraws the line after <paramref name="step"/>; the ETA is the steps left at the pace of the last 50 steps.</summary>
    public void Update(long step, long maxSteps, double? loss, double tokensPerSecond)
    {
        var now = (step, DateTimeOffset.UtcNow);
        recent.Enqueue(now);
        while (recent.Count > 50) recent.Dequeue();
        var eta = StepPace.SecondsLeft(recent.Peek(), now, maxSteps - step);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"step {step}/{maxSteps} ({100.0 * step / maxSteps:0}%)  loss {(loss is { } l ? l.ToString("0.0000", CultureInfo.InvariantCulture) : "-")}  tokens/s {tokensPerSecond:0}  ETA {ShortDuration.Format(eta)}");
        lock (terminal)
        {
            terminal.Write(ClearLine + text);
            terminal.Flush();
            shown = text;
        }
    }

    public override void WriteLine(string? value)
    {
        lock (terminal)
        {
            if (shown is not null) terminal.Write(ClearLine);
            terminal.WriteLine(value);
            if (shown is not null) terminal.Write(shown);
            terminal.Flush();
        }
    }

    public override void Write(char value)
    {
        lock (terminal) terminal.Write(value);
    }

    /// <summary>Leaves the last progress line on screen and moves below it.</summary>
    public void Finish()
    {
        lock (terminal)
        {
            if (shown is null) return;
            terminal.WriteLine();
            terminal.Flush();
            shown = null;
        }
    }
}
