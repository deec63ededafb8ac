using Geneformer.Distributed.Cluster;
using Geneformer.Training;

namespace Geneformer.Distributed.Launch;

/// <summary>
/// Starts a job's ranks and starts them again after a failure, for as long as the coordinator's restart budget
/// lasts: <c>pretrain --local</c> (mpiexec or one process per rank) and the Slurm script (<c>coordinator -- srun ...</c>)
/// both run it. The coordinator decides. Each launch is made for one generation; when its processes exit before the
/// job has ended, the loop tells the coordinator at once (a rank's death is known from its exit, not from missed
/// heartbeats), and the coordinator answers: start the ranks again for its next generation, or the job has ended.
/// </summary>
public sealed class RelaunchLoop(CoordinatorHost host, int ranks, Func<RankGroup> launch, TextWriter log)
{
    /// <summary>Pause between a failure and the next start (lets a node's GPUs and ports settle).</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Runs until the job ends; returns the coordinator's exit code (0, 75 preempted, 1 failed).</summary>
    public int Run()
    {
        while (true)
        {
            var (generation, restarts, maxRestarts) = host.RanksLaunchedAsync().GetAwaiter().GetResult();
            log.WriteLine($"launching {ranks} rank(s) (restart {restarts} of at most {maxRestarts}) for generation {generation}; the coordinator picks the checkpoint");
            using var group = launch();
            Task.WhenAny(group.WaitForExitAsync(), host.Outcome).GetAwaiter().GetResult();
            if (host.Outcome.IsCompleted) return Finish(group);

            var exit = group.ExitCode;
            if (exit is 0 or TrainerExit.Preempted)
            {
                // A clean end or a preemption: the coordinator's outcome follows once the last reports arrive.
                if (host.Outcome.Wait(TimeSpan.FromSeconds(60))) return Finish(group);
                log.WriteLine($"the ranks exited with {exit} but the coordinator did not end within 60 s (its status page shows why)");
                return 1;
            }
            var verdict = host.LaunchEndedAsync(generation, exit).GetAwaiter().GetResult();
            if (!verdict.Relaunch) return Finish(group);
            log.WriteLine($"ranks failed with exit {exit}; relaunching in {RestartDelay.TotalSeconds:0}s for generation {verdict.Generation}, from the newest committed checkpoint");
            if (host.Outcome.Wait(RestartDelay)) return Finish(group);
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
