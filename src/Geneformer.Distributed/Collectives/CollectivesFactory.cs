using Geneformer.Distributed.Collectives.Nccl;
using Geneformer.Training.Parallel;
using TorchSharp;

namespace Geneformer.Distributed.Collectives;

public enum CollectivesBackend { None, Mpi, Nccl }

/// <summary>Chooses and starts the gradient all-reduce backend: NCCL for CUDA devices, MPI for CPU, none for a single process not started by an MPI launcher.</summary>
public static class CollectivesFactory
{
    public static CollectivesBackend Choose(DeviceType device, bool underMpiLauncher) =>
        !underMpiLauncher ? CollectivesBackend.None
        : device == DeviceType.CUDA ? CollectivesBackend.Nccl
        : CollectivesBackend.Mpi;

    public static ICollectives Create(DeviceType device) => Create(Choose(device, LaunchEnvironment.UnderMpiLauncher()));

    public static ICollectives Create(CollectivesBackend backend)
    {
        switch (backend)
        {
            case CollectivesBackend.None:
                return new SingleProcessCollectives();
            case CollectivesBackend.Mpi:
                return new MpiCollectives(LaunchEnvironment.WorldSize());
            case CollectivesBackend.Nccl:
                var mpi = new MpiCollectives(LaunchEnvironment.WorldSize());
                return new NcclCollectives(mpi, LaunchEnvironment.LocalRank() ?? 0, bytes =>
                {
                    mpi.Broadcast(bytes, 0);
                    return bytes;
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(backend));
        }
    }
}
