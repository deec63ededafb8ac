using System.Runtime.InteropServices;
using Geneformer.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Collectives;

/// <summary>
/// Collectives over MPI (MPI.NET 1.4 on MPICH) for CPU tensors. MPI.NET's MPI.dll binds MS-MPI's
/// <c>msmpi.dll</c> with MS-MPI's integer handles; MPICH (from which MS-MPI derives) uses the same handles, so
/// the library is redirected to <c>libmpich.so.12</c>. OpenMPI is not compatible (it segfaults).
/// Tensors are reduced in place through the raw API, with no copies.
/// </summary>
public sealed class MpiCollectives : ICollectives
{
    private static readonly IntPtr InPlace = new(-1); // MPI_IN_PLACE in MPICH and MS-MPI
    private static int resolverSet;
    private readonly MPI.Environment environment;
    private readonly int comm = MPI.Unsafe.MPI_COMM_WORLD;
    private readonly bool yieldWhileWaiting;
    private bool abandoned;

    public string Backend => "mpi";
    public int Rank { get; }
    public int WorldSize { get; }

    /// <param name="expectedWorldSize">the world size the launcher promised; a mismatch means the ranks were started as separate 1-rank jobs (wrong MPI, or srun without --mpi=pmi2)</param>
    public MpiCollectives(int? expectedWorldSize = null)
    {
        UseMpich();
        var args = Array.Empty<string>();
        environment = new MPI.Environment(ref args);
        Rank = MPI.Communicator.world.Rank;
        WorldSize = MPI.Communicator.world.Size;
        if (expectedWorldSize is { } n && n != WorldSize)
            throw new InvalidOperationException($"MPI reports world size {WorldSize} but the launcher asked for {n} ranks: launch with MPICH's mpiexec.mpich or srun --mpi=pmi2 (OpenMPI's mpirun and srun --mpi=pmix start separate 1-rank jobs)");
        yieldWhileWaiting = MpiWaiting.Oversubscribed(LaunchEnvironment.RanksOnThisHost(), Environment.ProcessorCount);
    }

    /// <summary>Points MPI.NET at MPICH; call before anything touches MPI.</summary>
    public static void UseMpich()
    {
        if (Interlocked.Exchange(ref resolverSet, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, (name, _, _) =>
        {
            if (name != "msmpi.dll") return IntPtr.Zero;
            try { return NativeLibrary.Load("libmpich.so.12"); }
            catch (DllNotFoundException e) { throw new DllNotFoundException("MPI needs MPICH's libmpich.so.12 (Debian: apt-get install mpich libmpich-dev)", e); }
        });
    }

    public void AllReduceSum(Tensor tensor)
    {
        var (ptr, count, type) = Buffer(tensor);
        AllReduceSum(ptr, count, type);
    }

    public unsafe void AllReduceSum(double[] values)
    {
        fixed (double* p = values)
            AllReduceSum((IntPtr)p, values.Length, MPI.Unsafe.MPI_DOUBLE);
    }

    private void AllReduceSum(IntPtr buffer, int count, int type)
    {
        if (yieldWhileWaiting) Check(MpiWaiting.AllReduceSumYielding(buffer, count, type, comm), "MPI_Iallreduce");
        else Check(MPI.Unsafe.MPI_Allreduce(InPlace, buffer, count, type, MPI.Unsafe.MPI_SUM, comm), "MPI_Allreduce");
    }

    public void Broadcast(Tensor tensor, int root)
    {
        var (ptr, count, type) = Buffer(tensor);
        Check(MPI.Unsafe.MPI_Bcast(ptr, count, type, root, comm), "MPI_Bcast");
    }

    public unsafe void Broadcast(byte[] bytes, int root)
    {
        fixed (byte* p = bytes)
            Check(MPI.Unsafe.MPI_Bcast((IntPtr)p, bytes.Length, MPI.Unsafe.MPI_BYTE, root, comm), "MPI_Bcast");
    }

    public void Barrier() => Check(MPI.Unsafe.MPI_Barrier(comm), "MPI_Barrier");

    private static (IntPtr Ptr, int Count, int Type) Buffer(Tensor t)
    {
        if (t.device_type != DeviceType.CPU) throw new InvalidOperationException($"MPI collectives take CPU tensors; got one on {t.device} (use the NCCL backend on GPUs)");
        if (!t.is_contiguous()) throw new InvalidOperationException("MPI collectives need a contiguous tensor");
        var (type, size) = t.dtype switch
        {
            ScalarType.Float32 => (MPI.Unsafe.MPI_FLOAT, 4),
            ScalarType.Float64 => (MPI.Unsafe.MPI_DOUBLE, 8),
            ScalarType.Int64 => (MPI.Unsafe.MPI_LONG_LONG, 8),
            ScalarType.Int32 => (MPI.Unsafe.MPI_INT, 4),
            _ => throw new NotSupportedException($"MPI collectives: dtype {t.dtype} is not supported"),
        };
        var count = checked((int)t.numel());
        var ptr = TensorPointer.Of(t);
        return (ptr, count, type);
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"{what} failed with MPI error {rc}");
    }

    /// <summary>
    /// MPICH's MPI_Finalize waits until every peer this rank has talked to closes its connection; a peer that is
    /// stopped or stuck in a collective never does, and the rank would hang in Dispose. So an abandoned rank leaves
    /// MPI unfinalized: its exit is what tells mpiexec (or srun) to end the job.
    /// </summary>
    public void Abandon() => abandoned = true;

    public void Dispose()
    {
        if (!abandoned) environment.Dispose();
    }
}
