using Geneformer.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Collectives.Nccl;

/// <summary>
/// Collectives over NCCL for CUDA tensors: one communicator per process on the CUDA default stream (so it is
/// ordered with TorchSharp's kernels), from a unique id rank 0 made and every rank received (through the
/// coordinator's start order, or an MPI broadcast). Host values and barriers go over NCCL too, through a small
/// device tensor, so a GPU rank needs nothing else. Every call's result and the communicator's asynchronous error
/// are checked; on failure the communicator is aborted so no rank hangs in a collective.
/// </summary>
public sealed class NcclCollectives : ICollectives
{
    private readonly IDisposable? bootstrap;
    private readonly Device device;
    private IntPtr comm;

    public string Backend => "nccl";
    public int Rank { get; }
    public int WorldSize { get; }

    /// <summary>The GPU of this rank's communicator: the model must be on it.</summary>
    public int DeviceIndex { get; }

    /// <param name="bootstrap">what shared the id (MPI), kept open until this is disposed; null under the coordinator</param>
    public NcclCollectives(int rank, int worldSize, int deviceIndex, NcclUniqueId id, IDisposable? bootstrap = null)
    {
        (Rank, WorldSize, DeviceIndex, this.bootstrap) = (rank, worldSize, deviceIndex, bootstrap);
        device = new Device(DeviceType.CUDA, deviceIndex);
        CudaLibraries.UseResolver();
        if (NcclNative.cudaSetDevice(deviceIndex) is var e and not 0) throw new InvalidOperationException($"cudaSetDevice({deviceIndex}) failed (CUDA error {e})");
        NcclMapping.Check(NcclNative.ncclCommInitRank(out comm, worldSize, id, rank), "ncclCommInitRank");
    }

    /// <summary>A new unique id (rank 0 makes it; the others receive it).</summary>
    public static NcclUniqueId NewUniqueId()
    {
        CudaLibraries.UseResolver();
        NcclMapping.Check(NcclNative.ncclGetUniqueId(out var id), "ncclGetUniqueId");
        return id;
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

    public void AllReduceSum(double[] values)
    {
        using var scope = NewDisposeScope();
        var t = tensor(values, device: device);
        AllReduceSum(t);
        t.cpu().data<double>().CopyTo(values);
    }

    /// <summary>An all-reduce every rank must join, then a wait for it on this GPU.</summary>
    public void Barrier()
    {
        using (var token = zeros(1, device: device)) AllReduceSum(token);
        torch.cuda.synchronize(device);
        CheckAsync();
    }

    /// <summary>NCCL reads the tensor where the communicator's GPU is; a tensor elsewhere is a setup error, named here.</summary>
    public static void CheckOnDevice(Tensor t, int deviceIndex)
    {
        if (t.device_type != DeviceType.CUDA || t.device_index != deviceIndex)
            throw new InvalidOperationException($"NCCL's communicator is on cuda:{deviceIndex} but the tensor is on {t.device}: the model and NCCL must use the same GPU (device cuda:LOCAL_RANK under a launcher)");
        if (!t.is_contiguous()) throw new InvalidOperationException("NCCL collectives need a contiguous tensor");
    }

    private IntPtr Pointer(Tensor t)
    {
        CheckOnDevice(t, DeviceIndex);
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
        (bootstrap as ICollectives)?.Abandon();
    }

    public void Dispose()
    {
        if (comm != IntPtr.Zero) NcclNative.ncclCommDestroy(comm);
        comm = IntPtr.Zero;
        bootstrap?.Dispose();
    }
}
