using System.Runtime.InteropServices;

namespace Geneformer.Distributed.Collectives.Nccl;

/// <summary>ncclUniqueId: an opaque 128-byte blob made by rank 0 and handed to every rank; passed BY VALUE to ncclCommInitRank.</summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
public unsafe struct NcclUniqueId
{
    public const int Bytes = 128;
    public fixed byte Internal[Bytes];

    public byte[] ToArray()
    {
        var a = new byte[Bytes];
        fixed (byte* p = Internal) new ReadOnlySpan<byte>(p, Bytes).CopyTo(a);
        return a;
    }

    public static NcclUniqueId FromArray(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes) throw new ArgumentException($"an NCCL unique id is {Bytes} bytes, got {bytes.Length}");
        var id = new NcclUniqueId();
        bytes.CopyTo(new Span<byte>(id.Internal, Bytes));
        return id;
    }

    /// <summary>Text form for passing through the coordinator or an environment variable.</summary>
    public string ToBase64() => Convert.ToBase64String(ToArray());

    public static NcclUniqueId FromBase64(string text) => FromArray(Convert.FromBase64String(text));
}

/// <summary>ncclDataType_t.</summary>
public enum NcclDataType
{
    Int8 = 0, Uint8 = 1, Int32 = 2, Uint32 = 3, Int64 = 4, Uint64 = 5, Float16 = 6, Float32 = 7, Float64 = 8, Bfloat16 = 9,
}

/// <summary>ncclRedOp_t.</summary>
public enum NcclRedOp { Sum = 0, Prod = 1, Max = 2, Min = 3, Avg = 4 }

/// <summary>ncclResult_t.</summary>
public enum NcclResult
{
    Success = 0, UnhandledCudaError = 1, SystemError = 2, InternalError = 3, InvalidArgument = 4, InvalidUsage = 5, RemoteError = 6, InProgress = 7,
}

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
