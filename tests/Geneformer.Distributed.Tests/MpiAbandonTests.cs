using System.Diagnostics;
using Geneformer.ClusterTestWorker;
using Geneformer.TestSupport;

namespace Geneformer.Distributed.Tests;

/// <summary>
/// A rank that fails, or that the coordinator aborts, must leave even when its peer hangs (SIGSTOP) or waits in a
/// collective it will never complete: real MPICH ranks under mpiexec. MPI_Finalize would wait on that peer for ever;
/// an abandoned rank exits, and mpiexec ends the peer.
/// </summary>
public class MpiAbandonTests
{
    [Theory]
    [InlineData("stopped-peer", 0)]
    [InlineData("peer-in-collective", 1)]
    public void An_abandoning_rank_exits_and_mpiexec_ends_its_peer(string scenario, int leaver)
    {
        var worker = typeof(MpiAbandonProbe).Assembly.Location;
        var result = ProcessRunner.Run("mpiexec.mpich", ["-n", "2", "dotnet", worker, "mpi-abandon-probe", scenario, "abandon"], TimeSpan.FromSeconds(90));

        Assert.Contains($"rank {leaver} left", result.StdOut);
        // mpiexec's own exit status is the leaver's code or the signal that ended the peer, whichever it saw first.
        Assert.NotEqual(0, result.ExitCode);
        var stopped = Process.GetProcesses().Where(p => ProbeArguments(p).Contains("mpi-abandon-probe")).ToList();
        Assert.True(stopped.Count == 0, $"probe ranks left running: {string.Join(", ", stopped.Select(p => p.Id))}");
    }

    private static string ProbeArguments(Process p)
    {
        try { return File.ReadAllText($"/proc/{p.Id}/cmdline"); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
