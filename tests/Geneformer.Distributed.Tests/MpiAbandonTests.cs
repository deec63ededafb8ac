using System.Diagnostics;
using Geneformer.ClusterTestWorker;
using Geneformer.TestSupport;

namespace Geneformer.Distributed.Tests;

/// <summary>
/// A rank the coordinator aborts while its peer hangs (SIGSTOP) must still leave: real MPICH ranks under mpiexec.
/// MPI_Finalize would wait on the stopped peer for ever; an abandoned rank exits, and mpiexec kills the peer.
/// </summary>
public class MpiAbandonTests
{
    [Fact]
    public void An_abandoning_rank_exits_and_mpiexec_ends_its_stopped_peer()
    {
        var worker = typeof(MpiAbandonProbe).Assembly.Location;
        var result = ProcessRunner.Run("mpiexec.mpich", ["-n", "2", "dotnet", worker, "mpi-abandon-probe", "abandon"], TimeSpan.FromSeconds(90));

        Assert.Contains("rank 0 left", result.StdOut);
        Assert.Equal(FakeTrainingLoop.Aborted, result.ExitCode);
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
