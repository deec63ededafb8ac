using Geneformer.Training.Parallel;

namespace Geneformer.Collectives;

/// <summary>
/// This process's share of a job run by several ranks (pretrain, embed, eval mlm): its collectives, the work, the
/// agreement on failure, and the way out. When the work fails the collectives are abandoned, not finalized: the other
/// ranks may wait in a collective this rank will never join (or be hung), and MPICH's MPI_Finalize would wait on them
/// for ever. This rank's exit is what ends them (mpiexec, srun --kill-on-bad-exit).
/// </summary>
public sealed class RankedJob : IDisposable
{
    private ICollectives? collectives;

    private RankedJob(ICollectives? collectives) => this.collectives = collectives;

    /// <param name="collectives">this rank's collectives, or null when they start later (<see cref="Join"/>)</param>
    public static RankedJob Start(ICollectives? collectives) => new(collectives);

    /// <summary>MPI when an MPI launcher started more than one rank, else a job of one.</summary>
    public static RankedJob UnderLauncher() => Start(LaunchEnvironment.UnderMpiLauncher() && LaunchEnvironment.WorldSize() is > 1
        ? new MpiCollectives(LaunchEnvironment.WorldSize())
        : new SingleProcessCollectives());

    public ICollectives Collectives => collectives ?? throw new InvalidOperationException("this rank's collectives have not started");

    /// <summary>The collectives that start once the job knows how (NCCL from the coordinator's start order).</summary>
    public ICollectives Join(Func<ICollectives> create) => collectives ??= create();

    /// <summary>Runs the work; if it throws, abandons the collectives before the exception leaves.</summary>
    public T Run<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch
        {
            Abandon();
            throw;
        }
    }

    /// <summary>
    /// Every rank says whether its part failed and adds its <paramref name="figures"/> (summed in place over the ranks,
    /// in the same all-reduce); returns how many ranks failed, the same number on every rank.
    /// </summary>
    public int FailedRanks(bool failed, double[]? figures = null)
    {
        var values = new double[1 + (figures?.Length ?? 0)];
        values[0] = failed ? 1 : 0;
        figures?.CopyTo(values, 1);
        Collectives.AllReduceSum(values);
        if (figures is not null) Array.Copy(values, 1, figures, 0, figures.Length);
        return (int)values[0];
    }

    /// <summary>Leaves the collectives without finalizing them (see the class summary); disposing them afterwards is safe.</summary>
    public void Abandon() => collectives?.Abandon();

    public void Dispose()
    {
        collectives?.Dispose();
        collectives = null;
    }
}
