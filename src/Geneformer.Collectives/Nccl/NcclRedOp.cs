namespace Geneformer.Collectives.Nccl;

/// <summary>ncclRedOp_t.</summary>
public enum NcclRedOp { Sum = 0, Prod = 1, Max = 2, Min = 3, Avg = 4 }
