using System.Runtime.InteropServices;
using Geneformer.Bench.ControlPlane;
using Geneformer.Collectives;

namespace Geneformer.ClusterTestWorker;

/// <summary>
/// Two MPI ranks, both all-reducing once, then one rank leaves as a failed or aborted rank does: it abandons its
/// collectives (or, with <c>finalize</c>, disposes them normally) and exits 76, while its peer
/// <list type="bullet">
/// <item><c>stopped-peer</c>: rank 1 stops itself (SIGSTOP, a hung rank) and rank 0 leaves;</item>
/// <item><c>peer-in-collective</c>: rank 0 waits in a second all-reduce that rank 1, leaving, never joins.</item>
/// </list>
/// </summary>
public static partial class MpiAbandonProbe
{
    public static int Run(string scenario, bool finalize)
    {
        var mpi = new MpiCollectives(2);
        mpi.AllReduceSum(new double[] { 1 });
        Console.WriteLine($"rank {mpi.Rank} pid {Environment.ProcessId} all-reduced");
        Console.Out.Flush();
        var leaver = scenario == "stopped-peer" ? 0 : 1;
        if (mpi.Rank != leaver)
        {
            if (scenario == "stopped-peer") kill(Environment.ProcessId, SIGSTOP);
            else mpi.AllReduceSum(new double[] { 1 });
            return 0;
        }
        Thread.Sleep(500);
        if (!finalize) mpi.Abandon();
        mpi.Dispose();
        Console.WriteLine($"rank {mpi.Rank} left");
        return SimulatedTrainingLoop.Aborted;
    }

    private const int SIGSTOP = 19;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
