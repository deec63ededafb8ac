using System.Diagnostics;

namespace Geneformer.Bench;

/// <summary>
/// Runs a command and follows its peak resident set size: the kernel's high-water mark (VmHWM in
/// /proc/PID/status), read every few milliseconds while it runs. The mark only grows, so a read misses nothing that
/// happened before it; only a rise in the last interval before exit can escape.
/// </summary>
public static class PeakMemoryProbe
{
    public static ProbedRun Run(IReadOnlyList<string> command, TimeSpan interval)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var status = $"/proc/{p.Id}/status";
        long peak = 0;
        while (!p.WaitForExit(interval))
            peak = Math.Max(peak, HighWaterMark(status) ?? 0);
        var seconds = clock.Elapsed.TotalSeconds;
        return new ProbedRun(p.ExitCode, peak, seconds, stdout.Result + stderr.Result);
    }

    /// <summary>VmHWM in bytes, or null once the process is gone.</summary>
    public static long? HighWaterMark(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // "VmHWM:\t  123 kB"
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
