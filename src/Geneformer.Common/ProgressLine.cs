using System.Diagnostics;

namespace Geneformer.Common;

/// <summary>A progress line on stderr, at most every two seconds and once at the end.</summary>
public sealed class ProgressLine(string what, bool enabled)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double lastShown = double.NegativeInfinity;

    public void Report(long done, long total)
    {
        if (!enabled) return;
        var now = clock.Elapsed.TotalSeconds;
        if (done < total && now - lastShown < 2) return;
        lastShown = now;
        Console.Error.WriteLine($"{what}: {done:N0}/{total:N0} cells ({done / Math.Max(now, 1e-9):0.#} cells/s, {now:0.#}s)");
    }
}
