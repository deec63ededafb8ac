using static TorchSharp.torch;

namespace Geneformer.Training.Parallel;

/// <summary>
/// The collective operations the trainer needs, over all ranks of a job. Implemented by a single-process
/// no-op here and by MPI (CPU) and NCCL (CUDA) in Geneformer.Distributed; the trainer is the same on every rank.
/// </summary>
public interface ICollectives : IDisposable
{
    string Backend { get; }
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>Sums a contiguous tensor over all ranks, in place.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Sums small host values over all ranks, in place.</summary>
    void AllReduceSum(double[] values);

    /// <summary>Copies <paramref name="tensor"/> from rank <paramref name="root"/> to every rank, in place.</summary>
    void Broadcast(Tensor tensor, int root);

    void Barrier();

    /// <summary>
    /// A peer failed or hangs and this rank is leaving: let go of the collectives without waiting on any peer.
    /// A later <see cref="IDisposable.Dispose"/> does nothing more; the process should exit, and the launcher
    /// (mpiexec, or srun --kill-on-bad-exit) ends the other ranks.
    /// </summary>
    void Abandon();
}
