namespace Geneformer.Collectives.Nccl;

public sealed class NcclException(string call, NcclResult result)
    : Exception($"{call} failed: {NcclMapping.Describe(result)} ({result}); set NCCL_DEBUG=INFO for details")
{
    public NcclResult Result { get; } = result;
}
