using Geneformer.Collectives.Nccl;
using Geneformer.Training.Parallel;
using TorchSharp;

namespace Geneformer.Collectives;

/// <summary>Chooses and starts the gradient all-reduce backend: NCCL for CUDA devices, MPI for CPU, none for a single process.</summary>
public static class CollectivesFactory
{
    public static CollectivesBackend Choose(DeviceType device, bool underMpiLauncher, bool underCoordinator, int launcherWorldSize)
    {
        if (device != DeviceType.CUDA) return underMpiLauncher ? CollectivesBackend.Mpi : CollectivesBackend.None;
        if (underCoordinator) return CollectivesBackend.NcclOverCoordinator;
        if (underMpiLauncher) return CollectivesBackend.NcclOverMpi;
        if (launcherWorldSize > 1)
            throw new InvalidOperationException($"the launcher started {launcherWorldSize} CUDA ranks without MPI and without a coordinator: NCCL's id cannot be shared; run under the coordinator (pretrain --coordinator-seed, or the Slurm script's default) or under an MPI launcher");
        return CollectivesBackend.None;
    }

    public static CollectivesBackend Choose(DeviceType device, bool underCoordinator) =>
        Choose(device, LaunchEnvironment.UnderMpiLauncher(), underCoordinator, LaunchEnvironment.WorldSize() ?? 1);

    /// <summary>The collectives of a rank that is not under the coordinator.</summary>
    public static ICollectives Create(DeviceType device) => Create(Choose(device, underCoordinator: false));

    /// <summary>Starts the collectives a backend needs before the rank joins anything. <see cref="CollectivesBackend.NcclOverCoordinator"/> starts later, from the start order (<see cref="NcclFromStartOrder"/>).</summary>
    public static ICollectives Create(CollectivesBackend backend)
    {
        switch (backend)
        {
            case CollectivesBackend.None:
                return new SingleProcessCollectives();
            case CollectivesBackend.Mpi:
                return new MpiCollectives(LaunchEnvironment.WorldSize());
            case CollectivesBackend.NcclOverMpi:
                var mpi = new MpiCollectives(LaunchEnvironment.WorldSize());
                try
                {
                    var id = mpi.Rank == 0 ? NcclCollectives.NewUniqueId().ToArray() : new byte[NcclUniqueId.Bytes];
                    mpi.Broadcast(id, 0);
                    return new NcclCollectives(mpi.Rank, mpi.WorldSize, LaunchEnvironment.LocalRank() ?? 0, NcclUniqueId.FromArray(id), mpi);
                }
                catch
                {
                    mpi.Abandon();
                    throw;
                }
            case CollectivesBackend.NcclOverCoordinator:
                throw new InvalidOperationException("NCCL under the coordinator starts from the start order: use NcclFromStartOrder");
            default:
                throw new ArgumentOutOfRangeException(nameof(backend));
        }
    }

    /// <summary>NCCL from the id rank 0 registered with and the coordinator relayed in its start order.</summary>
    public static NcclCollectives NcclFromStartOrder(string? uniqueIdBase64, int orderWorldSize, RankPlacement placement)
    {
        if (uniqueIdBase64 is null)
            throw new InvalidOperationException("the coordinator's start order carries no NCCL id: rank 0 registered without one (is rank 0 on a CPU device while this rank is on CUDA?)");
        if (orderWorldSize != placement.WorldSize)
            throw new InvalidOperationException($"the coordinator expects {orderWorldSize} ranks but the launcher started {placement.WorldSize} (SLURM_NTASKS, WORLD_SIZE)");
        return new NcclCollectives(placement.Rank, placement.WorldSize, placement.LocalRank, NcclUniqueId.FromBase64(uniqueIdBase64));
    }
}
