namespace Geneformer.Collectives;

/// <summary>How a rank's collectives start.</summary>
public enum CollectivesBackend
{
    /// <summary>One process: every collective is the identity.</summary>
    None,
    /// <summary>MPI for CPU tensors (mpiexec, srun --mpi=pmi2).</summary>
    Mpi,
    /// <summary>NCCL, its unique id broadcast over MPI (CUDA ranks under an MPI launcher, no coordinator).</summary>
    NcclOverMpi,
    /// <summary>NCCL, its unique id relayed by the coordinator's start order; no MPI at all (CUDA ranks under the coordinator; srun without --mpi).</summary>
    NcclOverCoordinator,
}
