using static TorchSharp.torch;

namespace Geneformer.Collectives.Nccl;

/// <summary>The pure parts of the NCCL backend: type mapping and error text (unit-tested without a GPU).</summary>
public static class NcclMapping
{
    public static NcclDataType DataType(ScalarType t) => t switch
    {
        ScalarType.Float32 => NcclDataType.Float32,
        ScalarType.Float64 => NcclDataType.Float64,
        ScalarType.BFloat16 => NcclDataType.Bfloat16,
        ScalarType.Float16 => NcclDataType.Float16,
        ScalarType.Int64 => NcclDataType.Int64,
        ScalarType.Int32 => NcclDataType.Int32,
        ScalarType.Int8 => NcclDataType.Int8,
        ScalarType.Byte => NcclDataType.Uint8,
        _ => throw new NotSupportedException($"NCCL has no data type for {t}"),
    };

    public static string Describe(NcclResult r) => r switch
    {
        NcclResult.Success => "success",
        NcclResult.UnhandledCudaError => "a CUDA call failed",
        NcclResult.SystemError => "a system call failed (network, shared memory, or out of resources)",
        NcclResult.InternalError => "an internal NCCL error",
        NcclResult.InvalidArgument => "an invalid argument",
        NcclResult.InvalidUsage => "invalid usage (a programming error)",
        NcclResult.RemoteError => "a remote rank failed or disconnected",
        NcclResult.InProgress => "the operation is still in progress",
        _ => $"unknown NCCL result {(int)r}",
    };

    /// <summary>Throws a clear error for a failed NCCL call.</summary>
    public static void Check(NcclResult r, string call)
    {
        if (r != NcclResult.Success) throw new NcclException(call, r);
    }
}
