using System.Diagnostics;
using Geneformer.Common;

namespace Geneformer.Bench;

/// <summary>Runs a bench stage of this program in 2 MPI ranks (<c>mpiexec.mpich -n 2</c>) and relays rank 0's JSON figures.</summary>
public static class TwoRankRun
{
    public static IEnumerable<BenchFigure> Relay(string[] benchArgs, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("mpiexec.mpich") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        foreach (var a in (string[])["-n", "2", .. SelfCommand.Arguments(), "bench", .. benchArgs, "--json"]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("mpiexec.mpich did not start");
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"geneformer bench {string.Join(' ', benchArgs)} under mpiexec.mpich -n 2 failed (exit {p.ExitCode})");
        return lines.Select(BenchFigure.FromJson).ToList();
    }
}
