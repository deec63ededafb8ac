namespace Geneformer.Collectives.Nccl;

/// <summary>ncclResult_t.</summary>
public enum NcclResult
{
    Success = 0, UnhandledCudaError = 1, SystemError = 2, InternalError = 3, InvalidArgument = 4, InvalidUsage = 5, RemoteError = 6, InProgress = 7,
}
