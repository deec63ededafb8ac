using System.Text.RegularExpressions;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>Real training runs of the tiny model under slurm/pretrain.sbatch, with the coordinator unless said otherwise.</summary>
public partial class SlurmTests
{
    [Fact]
    public void A_requeued_then_preempted_job_resumes_from_its_last_checkpoint_each_time_and_finishes_while_status_shows_it()
    {
        var dir = corpus.NewDir("slurm-requeue");
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var job = SubmitRun(Config(dir, maxSteps: 100), run.Checkpoints, corpus.Corpus);
        Assert.StartsWith($"status: geneformer status --coordinator {Path.Combine(run.Checkpoints, "status-url")} once the job runs", job.StatusLine);

        // `geneformer status` against the coordinator on the first node: both ranks listed, the step advancing.
        var running = WaitForStatus(run, job, "both ranks past step 2", s => s.Phase == "running" && s.WorldSize == 2 && s.Step >= 2);
        Assert.Equal("0", running.SlurmRestartCount);
        WaitForStatus(run, job, $"the step to advance past {running.Step}", s => s.Step > running.Step);
        Assert.Equal(job.StatusUrl, File.ReadAllText(Path.Combine(run.Checkpoints, "status-url")).Trim());
        WaitForCheckpoint(run, job.Id, 10);
        var seen = run.LatestCheckpoint();

        // An operator requeues it: Slurm sends TERM to the coordinator and the ranks; they stop at the next step boundary,
        // the coordinator commits that checkpoint, and the job's next start resumes from it.
        slurm.RunChecked("scontrol", "requeue", job.Id);
        StartWhenPending(run, job.Id);
        var requeued = WaitForStatus(run, job, "the requeued job training with SLURM_RESTART_COUNT 1", s => s.SlurmRestartCount == "1" && s.Phase == "running" && s.TrainedSinceStart);
        var log = run.Log(job.Id);
        var first = ResumedStepAfter(log, 1);
        Assert.True(first >= seen, $"resumed at step {first}, but step {seen} had been committed before the requeue:\n{log}");
        Assert.Equal(LastCommittedBefore(log, "SLURM_RESTART_COUNT=1,"), first);
        Assert.Contains($"preempted (SIGTERM): ordering a final checkpoint", log);
        Assert.Contains($"preempted; final checkpoint step {first} committed", log);
        Assert.Equal(Path.Combine(run.Checkpoints, $"step-{first:D6}"), requeued.ResumedFrom);

        // Slurm's --signal=B:USR1@lead near the time limit, sent now: the script makes the ranks checkpoint, then requeues the job itself.
        WaitForCheckpoint(run, job.Id, first + 5);
        slurm.RunChecked("scancel", "--batch", "--signal=USR1", job.Id);
        Poll.Until(() => run.Log(job.Id).Contains($"requeueing job {job.Id}"), Wait, "the script to requeue its job", () => Diagnostics(run, job.Id));
        StartWhenPending(run, job.Id);
        WaitForEnd(run, job.Id);

        log = run.Log(job.Id);
        Assert.True(slurm.JobState(job.Id) == "COMPLETED", Diagnostics(run, job.Id));
        Assert.Contains("USR1: asking the ranks to checkpoint", log);
        Assert.Contains("preempted (SIGUSR1): ordering a final checkpoint", log);
        Assert.Matches(new Regex(@"stopping after step \d+ \([^)]+\); checkpoint committed, exit 75"), log);
        var second = ResumedStepAfter(log, 2);
        Assert.Equal(LastCommittedBefore(log, "SLURM_RESTART_COUNT=2,"), second);
        Assert.Contains($"preempted; final checkpoint step {second} committed", log);
        Assert.True(second > first, log);
        Assert.Contains("coordinator exited with 0", log);
        Assert.Contains("training finished", log);
        Assert.Equal(100, run.LatestCheckpoint());
        var verify = run.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(run.MetricSteps(), 1, 100, [first, second]);
        AssertNothingLeftBehind(run, job.Id);
    }

    [Fact]
    public void A_cancelled_run_continues_from_its_newest_checkpoint_with_submit_resume()
    {
        var dir = corpus.NewDir("slurm-cancel");
        var config = Config(dir, maxSteps: 60);
        var cancelled = new TrainingRun(Path.Combine(dir, "first"));
        var job = SubmitRun(config, cancelled.Checkpoints, corpus.Corpus);
        WaitForCheckpoint(cancelled, job.Id, 10);
        slurm.RunChecked("scancel", job.Id);
        WaitForEnd(cancelled, job.Id);
        Assert.Equal("CANCELLED", slurm.JobState(job.Id));
        var stoppedAt = cancelled.LatestCheckpoint();
        Assert.InRange(stoppedAt, 10, 59);
        Assert.DoesNotContain("requeueing", cancelled.Log(job.Id));
        AssertNothingLeftBehind(cancelled, job.Id);

        // Continue into a new checkpoint directory, from the newest checkpoint of the cancelled run: the coordinator starts there.
        var continued = new TrainingRun(Path.Combine(dir, "continued"));
        var next = SubmitRun(config, continued.Checkpoints, corpus.Corpus, "--resume-from", cancelled.Checkpoints);
        WaitForEnd(continued, next.Id);
        var log = continued.Log(next.Id);
        Assert.True(slurm.JobState(next.Id) == "COMPLETED", Diagnostics(continued, next.Id));
        var from = Path.Combine(cancelled.Checkpoints, $"step-{stoppedAt:D6}");
        Assert.Contains($"start from {from} (step {stoppedAt})", log);
        Assert.Contains($"resumed from {from} at step {stoppedAt}", log);
        Assert.Equal(60, continued.LatestCheckpoint());
        var verify = continued.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(continued.MetricSteps(), stoppedAt + 1, 60, []);
        AssertNothingLeftBehind(continued, next.Id);
    }

    /// <summary>The coordinator starts the ranks again into its next rendezvous; they resume from the newest committed checkpoint.</summary>
    [Fact]
    public void A_killed_rank_makes_the_coordinator_relaunch_the_ranks_from_the_newest_checkpoint()
    {
        var dir = corpus.NewDir("slurm-kill");
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var job = SubmitRun(Config(dir, maxSteps: 60), run.Checkpoints, corpus.Corpus);
        WaitForCheckpoint(run, job.Id, 10);
        KillRankOne(run, job.Id);
        WaitForEnd(run, job.Id);

        var log = run.Log(job.Id);
        Assert.True(slurm.JobState(job.Id) == "COMPLETED", Diagnostics(run, job.Id));
        Assert.Contains("ranks failed with exit", log);
        Assert.Contains("restart 1/3: waiting for 2 ranks (generation 2)", log);
        Assert.Contains("launching 2 rank(s) (restart 1 of at most 3)", log);
        var resumed = Resumed().Matches(log).Select(m => long.Parse(m.Groups[2].Value)).ToList();
        Assert.Single(resumed);
        Assert.Equal(LastCommittedBefore(log, "restart 1 of at most"), resumed[0]);
        Assert.Equal(60, run.LatestCheckpoint());
        var verify = run.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(run.MetricSteps(), 1, 60, resumed);
        AssertNothingLeftBehind(run, job.Id);
    }

    /// <summary>Without the coordinator nothing relaunches the ranks: the job fails, and what was committed stays intact.</summary>
    [Fact]
    public void Without_the_coordinator_a_killed_rank_fails_the_job_and_keeps_its_committed_checkpoints()
    {
        var dir = corpus.NewDir("slurm-kill-plain");
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var job = SubmitRun(Config(dir, maxSteps: 60), run.Checkpoints, corpus.Corpus, "--no-coordinator");
        WaitForCheckpoint(run, job.Id, 10);
        KillRankOne(run, job.Id);
        WaitForEnd(run, job.Id);

        var log = run.Log(job.Id);
        Assert.True(slurm.JobState(job.Id) == "FAILED", Diagnostics(run, job.Id));
        Assert.Contains("no coordinator (COORDINATOR=0)", log);
        Assert.Contains("FAILED: the job ended with exit", log);
        Assert.InRange(run.LatestCheckpoint(), 10, 59);
        var verify = run.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNothingLeftBehind(run, job.Id);
    }

    private void KillRankOne(TrainingRun run, string jobId)
    {
        var ranks = JobProcesses.Of(run.Checkpoints);
        Assert.True(ranks.Count == 2, $"expected 2 rank processes, found {ranks.Count}\n{Diagnostics(run, jobId)}");
        System.Diagnostics.Process.GetProcessById(ranks[1]).Kill(); // SIGKILL: no checkpoint, no goodbye
    }
}
