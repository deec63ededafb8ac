using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>
/// slurm/pretrain.sbatch and `geneformer submit` against a real single-node Slurm: 1 node x 2 CPU ranks of the tiny
/// model, requeued, preempted, cancelled and continued, and with a rank killed.
/// </summary>
public partial class SlurmTests(DemoCorpusFixture corpus, LocalSlurmFixture slurm) : IClassFixture<DemoCorpusFixture>, IClassFixture<LocalSlurmFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    /// <summary>A tiny-model config that takes a few tenths of a second a step here and checkpoints every 5 steps.</summary>
    private string Config(string dir, int maxSteps)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "training.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "tiny", ["micro_batch"] = 4, ["global_batch"] = 8, ["max_steps"] = maxSteps, ["lr"] = 0.002, ["warmup_steps"] = 4,
            ["max_length"] = 128, ["checkpoint_every"] = 5, ["keep_last"] = 3, ["eval_every"] = 1000, ["log_every"] = 1,
            ["device"] = "cpu", ["threads"] = 1, ["seed"] = 3,
        }));
        return path;
    }

    private ProcessResult Submit(params string[] args)
    {
        slurm.EnsureStarted();
        return ProcessRunner.Run("dotnet", [GeneformerProcess.Dll, "submit", .. args], TimeSpan.FromMinutes(2), env: new Dictionary<string, string>
        {
            ["SLURM_CONF"] = slurm.Conf,
            ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs"),
            ["RESTART_DELAY"] = "1", // the batch script's pause before relaunching failed ranks (sbatch passes the environment on)
        });
    }

    /// <summary>Submits the 1 node x 2 CPU ranks run and returns its job id.</summary>
    private string SubmitRun(string config, string checkpoints, string corpusDir, params string[] more)
    {
        var r = Submit(["--config", config, "--corpus", corpusDir, "--checkpoints", checkpoints, "--cpu", "--nodes", "1", "--tasks-per-node", "2", "--time", "00:10:00", .. more]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var id = r.StdOut.Trim();
        Assert.Matches("^[0-9]+$", id);
        return id;
    }

    private string Diagnostics(TrainingRun run, string id) =>
        $"job {id}: {slurm.JobState(id)}\n--- log\n{run.Log(id)}\n--- slurmctld.log\n" +
        string.Join('\n', File.ReadLines(Path.Combine(slurm.Base, "log", "slurmctld.log")).TakeLast(20));

    private void WaitForCheckpoint(TrainingRun run, string id, long atLeast) =>
        Poll.Until(() => run.LatestCheckpoint() >= atLeast, Wait, $"a checkpoint at step {atLeast} or later", () => Diagnostics(run, id));

    private void WaitForEnd(TrainingRun run, string id) =>
        Poll.Until(() => !slurm.InQueue(id), Wait, $"job {id} to leave the queue", () => Diagnostics(run, id));

    /// <summary>
    /// A requeued job waits about 120 s before it may start again; start it now, once it is pending and its previous
    /// run has left the node. slurmd revokes the old run's credential with one-second resolution: a restart within the
    /// same second is killed ("Killing non-startable batch job: Job credential revoked"), hence the pause. Slurm's
    /// own 120 s delay is what protects real requeues.
    /// </summary>
    private void StartWhenPending(TrainingRun run, string id)
    {
        Poll.Until(() => slurm.JobState(id) == "PENDING" && slurm.Run("sinfo", "-h", "-o", "%T").StdOut.Trim() == "idle", Wait,
            $"job {id} to be pending again on an idle node", () => Diagnostics(run, id));
        Thread.Sleep(TimeSpan.FromSeconds(2));
        slurm.RunChecked("scontrol", "update", $"jobid={id}", "StartTime=now");
    }

    [GeneratedRegex(@"resumed from (\S+) at step (\d+)")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"checkpoint \S+/step-(\d+) committed")]
    private static partial Regex Committed();

    /// <summary>The step the run resumed from after the log line naming restart count <paramref name="restart"/>.</summary>
    private static long ResumedStepAfter(string log, int restart)
    {
        var start = log.IndexOf($"SLURM_RESTART_COUNT={restart},", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no SLURM_RESTART_COUNT={restart} in the log:\n{log}");
        var m = Resumed().Match(log, start);
        Assert.True(m.Success, $"no 'resumed from' after SLURM_RESTART_COUNT={restart}:\n{log}");
        return long.Parse(m.Groups[2].Value);
    }

    /// <summary>The newest checkpoint the log reports committed before <paramref name="marker"/>.</summary>
    private static long LastCommittedBefore(string log, string marker)
    {
        var end = log.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(end >= 0, $"'{marker}' not in the log:\n{log}");
        return Committed().Matches(log[..end]).Select(m => long.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// Every step from <paramref name="first"/> to <paramref name="last"/> was trained, and each restart picked up right
    /// after a checkpoint the run had reached (it may redo uncheckpointed steps, never skip one).
    /// </summary>
    private static void AssertNoStepLost(List<long> steps, long first, long last, IReadOnlyCollection<long> resumedAt)
    {
        var shown = string.Join(",", steps);
        Assert.True(steps.Count > 0 && steps[0] == first && steps[^1] == last, $"metrics steps {shown}: expected {first}..{last}");
        Assert.Equal(Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i), steps.Distinct().Order());
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i] == steps[i - 1] + 1) continue;
            Assert.True(resumedAt.Any(r => steps[i] == r + 1 && r <= steps[i - 1]),
                $"metrics jump from step {steps[i - 1]} to {steps[i]} with no resume from a checkpoint at step {steps[i] - 1} (resumes at {string.Join(",", resumedAt)}): {shown}");
        }
    }

    [Fact]
    public void A_requeued_then_preempted_job_resumes_from_its_last_checkpoint_each_time_and_finishes()
    {
        var dir = corpus.NewDir("slurm-requeue");
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var id = SubmitRun(Config(dir, maxSteps: 100), run.Checkpoints, corpus.Corpus);

        // It advances: checkpoints appear and metrics.jsonl grows.
        WaitForCheckpoint(run, id, 10);
        var lines = run.MetricSteps().Count;
        Poll.Until(() => run.MetricSteps().Count > lines, Wait, "metrics.jsonl to grow", () => Diagnostics(run, id));
        var seen = run.LatestCheckpoint();

        // An operator requeues it: Slurm sends TERM, the ranks checkpoint at the next step boundary and exit.
        slurm.RunChecked("scontrol", "requeue", id);
        StartWhenPending(run, id);
        Poll.Until(() => Resumed().Matches(run.Log(id)).Count >= 1, Wait, "the requeued job to resume", () => Diagnostics(run, id));
        var log = run.Log(id);
        var first = ResumedStepAfter(log, 1);
        Assert.True(first >= seen, $"resumed at step {first}, but step {seen} had been committed before the requeue:\n{log}");
        Assert.Equal(LastCommittedBefore(log, "SLURM_RESTART_COUNT=1,"), first);

        // Slurm's --signal=B:USR1@lead near the time limit, sent now: the script makes the ranks checkpoint, then requeues the job itself.
        WaitForCheckpoint(run, id, first + 5);
        slurm.RunChecked("scancel", "--batch", "--signal=USR1", id);
        Poll.Until(() => run.Log(id).Contains($"requeueing job {id}"), Wait, "the script to requeue its job", () => Diagnostics(run, id));
        StartWhenPending(run, id);
        WaitForEnd(run, id);

        log = run.Log(id);
        Assert.True(slurm.JobState(id) == "COMPLETED", Diagnostics(run, id));
        Assert.Contains("USR1: asking the ranks to checkpoint", log);
        Assert.Contains("(SIGUSR1); checkpoint committed, exit 75", log);
        var second = ResumedStepAfter(log, 2);
        Assert.Equal(LastCommittedBefore(log, "SLURM_RESTART_COUNT=2,"), second);
        Assert.True(second > first, log);
        Assert.Contains("training finished", log);
        Assert.Equal(100, run.LatestCheckpoint());
        var verify = run.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(run.MetricSteps(), 1, 100, [first, second]);
    }

    [Fact]
    public void A_cancelled_run_continues_from_its_newest_checkpoint_with_submit_resume()
    {
        var dir = corpus.NewDir("slurm-cancel");
        var config = Config(dir, maxSteps: 60);
        var cancelled = new TrainingRun(Path.Combine(dir, "first"));
        var id = SubmitRun(config, cancelled.Checkpoints, corpus.Corpus);
        WaitForCheckpoint(cancelled, id, 10);
        slurm.RunChecked("scancel", id);
        WaitForEnd(cancelled, id);
        Assert.Equal("CANCELLED", slurm.JobState(id));
        var stoppedAt = cancelled.LatestCheckpoint();
        Assert.InRange(stoppedAt, 10, 59);
        Assert.DoesNotContain("requeueing", cancelled.Log(id));

        // Continue into a new checkpoint directory, from the newest checkpoint of the cancelled run.
        var continued = new TrainingRun(Path.Combine(dir, "continued"));
        var id2 = SubmitRun(config, continued.Checkpoints, corpus.Corpus, "--resume", cancelled.Checkpoints);
        WaitForEnd(continued, id2);
        var log = continued.Log(id2);
        Assert.True(slurm.JobState(id2) == "COMPLETED", Diagnostics(continued, id2));
        var from = Path.Combine(cancelled.Checkpoints, $"step-{stoppedAt:D6}");
        Assert.Contains($"--resume {from}", log);
        Assert.Contains($"resumed from {from} at step {stoppedAt}", log);
        Assert.Equal(60, continued.LatestCheckpoint());
        var verify = continued.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(continued.MetricSteps(), stoppedAt + 1, 60, []);
    }

    [Fact]
    public void A_killed_rank_makes_the_script_relaunch_the_ranks_from_the_newest_checkpoint()
    {
        var dir = corpus.NewDir("slurm-kill");
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var id = SubmitRun(Config(dir, maxSteps: 60), run.Checkpoints, corpus.Corpus);
        WaitForCheckpoint(run, id, 10);
        var ranks = RankProcesses.Of(run.Checkpoints);
        Assert.True(ranks.Count == 2, $"expected 2 rank processes, found {ranks.Count}\n{Diagnostics(run, id)}");
        System.Diagnostics.Process.GetProcessById(ranks[1]).Kill(); // SIGKILL: no checkpoint, no goodbye
        WaitForEnd(run, id);

        var log = run.Log(id);
        Assert.True(slurm.JobState(id) == "COMPLETED", Diagnostics(run, id));
        Assert.Contains("ranks failed with exit", log);
        Assert.Contains("launching 2 rank(s) (restart 1 of at most 3)", log);
        var resumed = Resumed().Matches(log).Select(m => long.Parse(m.Groups[2].Value)).ToList();
        Assert.Single(resumed);
        Assert.Equal(LastCommittedBefore(log, "restart 1 of at most"), resumed[0]);
        Assert.Equal(60, run.LatestCheckpoint());
        var verify = run.Verify();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        AssertNoStepLost(run.MetricSteps(), 1, 60, resumed);
    }

    [Fact]
    public void A_job_whose_nodes_cannot_use_the_corpus_fails_before_starting_any_rank()
    {
        var dir = corpus.NewDir("slurm-check");
        var empty = Path.Combine(dir, "empty-corpus");
        Directory.CreateDirectory(empty);
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var id = SubmitRun(Config(dir, maxSteps: 10), run.Checkpoints, empty);
        WaitForEnd(run, id);
        var log = run.Log(id);
        Assert.True(slurm.JobState(id) == "FAILED", Diagnostics(run, id));
        Assert.Contains($": corpus {empty} is empty", log);
        Assert.Contains("nothing was started", log);
        Assert.DoesNotContain("launching", log);
    }

    [Fact]
    public void Sbatch_refusing_the_job_is_reported_with_its_own_message()
    {
        var dir = corpus.NewDir("slurm-refused");
        var r = Submit("--config", Config(dir, 10), "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"),
            "--cpu", "--nodes", "1", "--tasks-per-node", "2", "--time", "00:10:00", "--partition", "no-such-partition");
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("sbatch failed", r.StdErr);
        Assert.Contains("invalid partition", r.StdErr);
        Assert.Equal("", r.StdOut.Trim());
    }

    [Fact]
    public void The_shipped_script_runs_under_plain_sbatch_with_command_line_sizes_and_environment_knobs()
    {
        slurm.EnsureStarted();
        var dir = corpus.NewDir("slurm-plain");
        var checkpoints = Path.Combine(dir, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        // Stands in for geneformer: prints what each rank was started with (the GPU path cannot train on this machine).
        var fake = Path.Combine(dir, "fake-geneformer.sh");
        File.WriteAllText(fake, "#!/bin/bash\nprintf \"rank $SLURM_PROCID arg: %s\\n\" \"$@\"\n");
        Assert.Equal(0, ProcessRunner.Run("chmod", ["+x", fake]).ExitCode);
        var r = ProcessRunner.Run("sbatch", ["--parsable", "--nodes=1", "--ntasks-per-node=2", "--gres=none", "--cpus-per-task=1", "--time=5",
            $"--output={checkpoints}/slurm-%j.out", Path.Combine(RepoPaths.Root, "slurm", "pretrain.sbatch")], TimeSpan.FromMinutes(1), env: new Dictionary<string, string>
        {
            ["SLURM_CONF"] = slurm.Conf, ["GENEFORMER_BIN"] = fake, ["CORPUS"] = corpus.Corpus, ["CHECKPOINTS"] = checkpoints,
            ["EXTRA_ARGS"] = "--max-steps 5 --note 'two words'",
        });
        Assert.True(r.ExitCode == 0, r.ToString());
        var id = r.StdOut.Trim();
        var run = new TrainingRun(checkpoints);
        WaitForEnd(run, id);
        var log = run.Log(id);
        Assert.True(slurm.JobState(id) == "COMPLETED", Diagnostics(run, id));
        Assert.Contains("1 node(s) x 2 task(s) = 2 rank(s), device cuda", log);
        foreach (var rank in new[] { 0, 1 })
        {
            var args = log.Split('\n').Where(l => l.StartsWith($"rank {rank} arg: ", StringComparison.Ordinal)).Select(l => l[$"rank {rank} arg: ".Length..]);
            Assert.Equal(["pretrain", "--config", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--resume", "auto",
                "--max-steps", "5", "--note", "two words", "--device", $"cuda:{rank}"], args);
        }
        Assert.Contains("training finished", log);
    }
}
