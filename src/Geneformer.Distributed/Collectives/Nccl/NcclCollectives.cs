using Geneformer.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Distributed.Collectives.Nccl;

/// <summary>
/// Collectives over NCCL for CUDA tensors: one communicator per process on the CUDA default stream (so it is
/// ordered with TorchSharp's kernels), the unique id made by rank 0 and shared through the bootstrap
/// (MPI here, or the coordinator). Every call's result and the communicator's asynchronous error are
/// checked; on failure the communicator is aborted so no rank hangs in a collective.
/// Host values and barriers go through the bootstrap collectives.
/// </summary>
public sealed class NcclCollectives : ICollectives
{
    private readonly ICollectives bootstrap;
    private IntPtr comm;

    public string Backend => "nccl";
    public int Rank => bootstrap.Rank;
    public int WorldSize => bootstrap.WorldSize;

    /// <param name="bootstrap">host-side collectives (MPI) used to share the unique id and for small host values; owned (disposed with this)</param>
    /// <param name="shareUniqueId">broadcasts rank 0's id bytes to every rank</param>
    public NcclCollectives(ICollectives bootstrap, int localDevice, Func<byte[], byte[]> shareUniqueId)
    {
        this.bootstrap = bootstrap;
        if (NcclNative.cudaSetDevice(localDevice) != 0) throw new InvalidOperationException($"cudaSetDevice({localDevice}) failed");
        var id = new NcclUniqueId();
        if (Rank == 0) NcclMapping.Check(NcclNative.ncclGetUniqueId(out id), "ncclGetUniqueId");
        id = NcclUniqueId.FromArray(shareUniqueId(id.ToArray()));
        NcclMapping.Check(NcclNative.ncclCommInitRank(out comm, WorldSize, id, Rank), "ncclCommInitRank");
    }

    public void AllReduceSum(Tensor tensor)
    {
        var ptr = Pointer(tensor);
        Guard(NcclNative.ncclAllReduce(ptr, ptr, (nuint)tensor.numel(), NcclMapping.DataType(tensor.dtype), NcclRedOp.Sum, comm, IntPtr.Zero), "ncclAllReduce");
    }

    public void Broadcast(Tensor tensor, int root)
    {
        var ptr = Pointer(tensor);
        Guard(NcclNative.ncclBroadcast(ptr, ptr, (nuint)tensor.numel(), NcclMapping.DataType(tensor.dtype), root, comm, IntPtr.Zero), "ncclBroadcast");
    }

    public void AllReduceSum(double[] values) => bootstrap.AllReduceSum(values);

    public void Barrier()
    {
        if (NcclNative.cudaStreamSynchronize(IntPtr.Zero) != 0) throw new InvalidOperationException("cudaStreamSynchronize failed");
        CheckAsync();
        bootstrap.Barrier();
    }

    private static IntPtr Pointer(Tensor t)
    {
        if (t.device_type != DeviceType.CUDA) throw new InvalidOperationException($"NCCL collectives take CUDA tensors; got one on {t.device}");
        if (!t.is_contiguous()) throw new InvalidOperationException("NCCL collectives need a contiguous tensor");
        return TensorPointer.Of(t);
    }

    private void Guard(NcclResult r, string call)
    {
        if (r == NcclResult.Success) { CheckAsync(); return; }
        Abort();
        NcclMapping.Check(r, call);
    }

    private void CheckAsync()
    {
        NcclMapping.Check(NcclNative.ncclCommGetAsyncError(comm, out var async), "ncclCommGetAsyncError");
        if (async is NcclResult.Success or NcclResult.InProgress) return;
        Abort();
        NcclMapping.Check(async, "NCCL communicator (asynchronous error)");
    }

    private void Abort()
    {
        if (comm == IntPtr.Zero) return;
        NcclNative.ncclCommAbort(comm);
        comm = IntPtr.Zero;
    }

    /// <summary>ncclCommDestroy waits for the communicator's outstanding work, which a hung peer never finishes; ncclCommAbort does not wait.</summary>
    public void Abandon()
    {
        Abort();
        bootstrap.Abandon();
    }

    public void Dispose()
    {
        if (comm != IntPtr.Zero) NcclNative.ncclCommDestroy(comm);
        comm = IntPtr.Zero;
        bootstrap.Dispose();
    }
}
