using System.Diagnostics;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// A checkpoint whose snapshot is being written (and, on the committing rank, then committed) on a thread of its own
/// while training goes on. A failure is rethrown on the training thread at its next look (<see cref="Written"/> or
/// <see cref="Wait"/>), so a full disk stops the job instead of silently dropping checkpoints.
/// </summary>
public sealed class BackgroundCheckpoint
{
    private Task work = Task.CompletedTask;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public long Step { get; }

    /// <summary>Every rank's part is written and the commit has been handed on (to rank 0's thread or to the coordinator).</summary>
    public bool CommitStarted { get; private set; }

    /// <summary>Seconds since the snapshot was taken.</summary>
    public double Seconds => clock.Elapsed.TotalSeconds;

    private BackgroundCheckpoint(long step)
    {
        Step = step;
    }

    /// <summary>Writes <paramref name="snapshot"/> into <paramref name="staging"/>, then runs <paramref name="afterWrite"/> (for example: tell the coordinator the part is written), and disposes the snapshot.</summary>
    public static BackgroundCheckpoint Start(CheckpointSnapshot snapshot, string staging, Action? afterWrite = null)
    {
        var started = new BackgroundCheckpoint(snapshot.State.Step);
        started.work = Task.Factory.StartNew(() =>
        {
            using (snapshot) snapshot.WriteInto(staging);
            afterWrite?.Invoke();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return started;
    }

    /// <summary>Whether this rank's share is written; throws what the writer threw.</summary>
    public bool Written
    {
        get
        {
            if (work.IsFaulted || work.IsCanceled) work.GetAwaiter().GetResult();
            return work.IsCompleted;
        }
    }

    /// <summary>Runs <paramref name="commit"/> on the writer's thread once the write is done; every rank's part must be written by then.</summary>
    public void ThenCommit(Action commit)
    {
        var written = work;
        work = Task.Factory.StartNew(() =>
        {
            written.GetAwaiter().GetResult();
            commit();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        CommitStarted = true;
    }

    /// <summary>Blocks until the write (and commit, if started) is done; throws what it threw.</summary>
    public void Wait() => work.GetAwaiter().GetResult();

    /// <summary>Blocks until the work ends, without throwing (on the way out of a failed run).</summary>
    public void Drain(TimeSpan timeout)
    {
        try
        {
            work.Wait(timeout);
        }
        catch (AggregateException)
        {
            // the failure was or will be reported by Wait or Written
        }
    }
}
