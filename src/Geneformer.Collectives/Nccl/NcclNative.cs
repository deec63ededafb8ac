using System.Runtime.InteropServices;

namespace Geneformer.Collectives.Nccl;

/// <summary>
/// P/Invoke to libnccl.so.2 (no .NET binding exists). Loaded only when the CUDA backend is chosen; the
/// library name resolves through the usual search path (LD_LIBRARY_PATH, the CUDA/NCCL modules of a cluster).
/// </summary>
internal static partial class NcclNative
{
    internal const string Lib = "libnccl.so.2";

    [LibraryImport(Lib)] internal static partial NcclResult ncclGetUniqueId(out NcclUniqueId uniqueId);
    [LibraryImport(Lib)] internal static partial NcclResult ncclCommInitRank(out IntPtr comm, int nranks, NcclUniqueId commId, int rank);
    [LibraryImport(Lib)] internal static partial NcclResult ncclAllReduce(IntPtr sendbuff, IntPtr recvbuff, nuint count, NcclDataType datatype, NcclRedOp op, IntPtr comm, IntPtr stream);
    [LibraryImport(Lib)] internal static partial NcclResult ncclBroadcast(IntPtr sendbuff, IntPtr recvbuff, nuint count, NcclDataType datatype, int root, IntPtr comm, IntPtr stream);
    [LibraryImport(Lib)] internal static partial NcclResult ncclGroupStart();
    [LibraryImport(Lib)] internal static partial NcclResult ncclGroupEnd();
    [LibraryImport(Lib)] internal static partial NcclResult ncclCommGetAsyncError(IntPtr comm, out NcclResult asyncError);
    [LibraryImport(Lib)] internal static partial NcclResult ncclCommAbort(IntPtr comm);
    [LibraryImport(Lib)] internal static partial NcclResult ncclCommDestroy(IntPtr comm);
    [LibraryImport(Lib)] internal static partial IntPtr ncclGetErrorString(NcclResult result);

    [LibraryImport(Lib)] internal static partial NcclResult ncclGetVersion(out int version);

    /// <summary>Resolved by <see cref="CudaLibraries"/>: the copy already in the process, or a versioned name.</summary>
    internal const string CudaRt = "libcudart.so";
    [LibraryImport(CudaRt)] internal static partial int cudaSetDevice(int device);
}
