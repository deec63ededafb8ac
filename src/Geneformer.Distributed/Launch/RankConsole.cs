using Geneformer.Common.Logging;
using Geneformer.Training.Metrics;

namespace Geneformer.Distributed.Launch;

/// <summary>
/// Whether rank 0 draws a progress line instead of a line per logged step: when its output is a terminal. A local
/// launcher's ranks print straight to the launcher's terminal (through mpiexec's pipes), so the launcher tells them.
/// </summary>
public static class RankConsole
{
    public const string Variable = "GENEFORMER_CONSOLE";

    /// <summary>Rank 0's progress line on a terminal; null elsewhere, and for every other rank.</summary>
    public static ConsoleProgress? ProgressFor(int rank)
    {
        if (rank != 0 || LogFormat.Json) return null;
        var told = Environment.GetEnvironmentVariable(Variable);
        return (told is null ? !Console.IsOutputRedirected : told == "terminal") ? new ConsoleProgress(Console.Out) : null;
    }

    /// <summary>Tells the ranks this process starts whether its output is a terminal.</summary>
    public static void TellRanks() => Environment.SetEnvironmentVariable(Variable, Console.IsOutputRedirected ? "plain" : "terminal");
}
