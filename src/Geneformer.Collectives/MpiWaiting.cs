using System.Runtime.InteropServices;

namespace Geneformer.Collectives;

/// <summary>
/// How a rank waits for an MPI all-reduce. MPICH's shared-memory transport busy-polls: with a core per rank that is
/// the fastest wait, but with more ranks on a machine than cores every waiting rank spins on a core that a rank still
/// computing (or a rank's heartbeat, or the coordinator) needs, and the step slows by the number of ranks sharing a
/// core. There the all-reduce is started non-blocking and tested, sleeping a millisecond between tests once a short
/// spin has not completed it. MPI.NET binds only MPI-2, so the non-blocking calls are MPICH's own (libmpich.so.12).
/// </summary>
internal static partial class MpiWaiting
{
    private const string Mpich = "libmpich.so.12";
    private static readonly IntPtr StatusIgnore = new(1); // MPI_STATUS_IGNORE in MPICH
    private const int SpinTests = 64;

    [LibraryImport(Mpich)]
    private static partial int MPI_Iallreduce(IntPtr sendbuf, IntPtr recvbuf, int count, int datatype, int op, int comm, out int request);

    [LibraryImport(Mpich)]
    private static partial int MPI_Test(ref int request, out int flag, IntPtr status);

    /// <summary>True when this machine has more ranks than cores for them (MPI's local rank count against this process's usable cores).</summary>
    public static bool Oversubscribed(int? ranksOnThisHost, int cores) => ranksOnThisHost is { } n && n > cores;

    /// <summary>In-place sum over the ranks, waiting without holding a core.</summary>
    public static int AllReduceSumYielding(IntPtr buffer, int count, int datatype, int comm)
    {
        var rc = MPI_Iallreduce(new IntPtr(-1), buffer, count, datatype, MPI.Unsafe.MPI_SUM, comm, out var request);
        if (rc != 0) return rc;
        for (var tests = 0; ; tests++)
        {
            rc = MPI_Test(ref request, out var done, StatusIgnore);
            if (rc != 0 || done != 0) return rc;
            if (tests < SpinTests) Thread.SpinWait(50);
            else Thread.Sleep(1);
        }
    }
}
