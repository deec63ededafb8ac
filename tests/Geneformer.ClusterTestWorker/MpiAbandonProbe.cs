using System.Runtime.InteropServices;
using Geneformer.Distributed.Collectives;

namespace Geneformer.ClusterTestWorker;

/// <summary>
/// Two MPI ranks: both all-reduce once; then rank 1 stops itself (SIGSTOP, a hung peer) and rank 0 leaves as an
/// aborted rank does: it abandons its collectives (or, with <c>finalize</c>, disposes them normally) and exits 76.
/// </summary>
public static partial class MpiAbandonProbe
{
    public static int Run(bool finalize)
    {
        var mpi = new MpiCollectives(2);
        mpi.AllReduceSum(new double[] { 1 });
        Console.WriteLine($"rank {mpi.Rank} pid {Environment.ProcessId} all-reduced");
        if (mpi.Rank == 1)
        {
            Console.Out.Flush();
            kill(Environment.ProcessId, SIGSTOP);
            return 0;
        }
        Thread.Sleep(500);
        if (!finalize) mpi.Abandon();
        mpi.Dispose();
        Console.WriteLine("rank 0 left");
        return FakeTrainingLoop.Aborted;
    }

    private const int SIGSTOP = 19;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
