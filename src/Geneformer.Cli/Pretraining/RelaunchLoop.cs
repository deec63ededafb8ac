using Geneformer.Distributed.Cluster;
using Geneformer.Training;

namespace Geneformer.Cli.Pretraining;

/// <summary>
/// Starts a job's ranks and starts them again after a failure, for as long as the coordinator's restart budget
/// lasts: <c>pretrain --local</c> (mpiexec or one process per rank) and the Slurm script (<c>coordinator -- srun ...</c>)
/// both run it. The coordinator decides: when a rank fails it aborts the others and either opens a new rendezvous
/// (the ranks are started again and resume from the last committed checkpoint) or, its budget spent, ends the job.
/// </summary>
public sealed class RelaunchLoop(CoordinatorHost host, int ranks, Func<RankGroup> launch, TextWriter log)
{
    /// <summary>Pause between a failure and the next start (lets a node's GPUs and ports settle).</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long to wait for the coordinator's verdict on a failure: its heartbeat timeout plus a margin.</summary>
    public TimeSpan VerdictTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Runs until the job ends; returns the coordinator's exit code (0, 75 preempted, 1 failed).</summary>
    public int Run()
    {
        for (var restart = 0; ; restart++)
        {
            var before = Status();
            log.WriteLine($"launching {ranks} rank(s) (restart {restart} of at most {before?.MaxRestarts}); the coordinator picks the checkpoint");
            using var group = launch();
            Task.WhenAny(group.WaitForExitAsync(), host.Outcome).GetAwaiter().GetResult();
            if (host.Outcome.IsCompleted) return Finish(group);

            var exit = group.ExitCode;
            var cleanEnd = exit is 0 or TrainerExit.Preempted;
            // A clean end or a preemption: the coordinator's outcome follows once the last reports arrive.
            if (host.Outcome.Wait(cleanEnd ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(3))) return Finish(group);
            if (cleanEnd)
            {
                log.WriteLine($"the ranks exited with {exit} but the coordinator did not end within 60 s (its status page shows why)");
                return 1;
            }
            log.WriteLine($"ranks failed with exit {exit}; relaunching in {RestartDelay.TotalSeconds:0}s from the newest committed checkpoint once the coordinator opens its next rendezvous");
            if (host.Outcome.Wait(RestartDelay)) return Finish(group);
            // Ranks started into the failed generation would be aborted with it: wait for the next rendezvous.
            var deadline = DateTime.UtcNow + VerdictTimeout;
            while (!host.Outcome.IsCompleted && !(Status() is { Phase: JobPhase.Rendezvous } now && now.Generation > (before?.Generation ?? 0)))
            {
                if (DateTime.UtcNow > deadline)
                {
                    log.WriteLine($"the coordinator opened no new rendezvous within {VerdictTimeout.TotalSeconds:0} s of the failure; stopping");
                    return 1;
                }
                Thread.Sleep(250);
            }
            if (host.Outcome.IsCompleted) return Finish(group);
        }
    }

    private JobStatus? Status()
    {
        try
        {
            return host.StatusAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Akka.Actor.AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    private int Finish(RankGroup group)
    {
        var outcome = host.Outcome.GetAwaiter().GetResult();
        if (!group.WaitForExit(TimeSpan.FromSeconds(30))) group.Kill();
        log.WriteLine($"job {outcome.Reason} (exit {outcome.ExitCode})");
        return outcome.ExitCode;
    }
}
