using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.Distributed.Slurm;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>
/// slurm/pretrain.sbatch and `geneformer submit` against a real single-node Slurm: 1 node x 2 CPU ranks of the tiny
/// model with the coordinator (the default), requeued, preempted, cancelled and continued, and with a rank killed;
/// the script's arguments and process handling with a stand-in geneformer. This file: the shared helpers.
/// </summary>
public partial class SlurmTests(DemoCorpusFixture corpus, LocalSlurmFixture slurm) : IClassFixture<DemoCorpusFixture>, IClassFixture<LocalSlurmFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    /// <summary>The node of the single-node Slurm (tools/slurm-local.sh), hence the job's first node.</summary>
    private const string Node = "localhost";

    /// <summary>A submitted job: its id and the status line submit printed.</summary>
    private sealed record Job(string Id, string StatusLine)
    {
        public long Number => long.Parse(Id, CultureInfo.InvariantCulture);
        public string StatusUrl => $"http://{Node}:{StatusPort(Number)}/";
    }

    /// <summary>The per-job ports docs/slurm.md promises when COORDINATOR_PORT and STATUS_PORT are unset.</summary>
    private static int ClusterPort(long jobId) => 20000 + (int)(jobId % 10000);

    private static int StatusPort(long jobId) => 30000 + (int)(jobId % 10000);

    /// <summary>A tiny-model config that takes a few tenths of a second a step here and checkpoints every 5 steps.</summary>
    private static string Config(string dir, int maxSteps)
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

    /// <summary>Submits the 1 node x 2 CPU ranks run on this cluster's node.</summary>
    private Job SubmitRun(string config, string checkpoints, string corpusDir, params string[] more)
    {
        var r = Submit(["--training", config, "--corpus", corpusDir, "--checkpoints", checkpoints, "--cpu", "--nodes", "1", "--tasks-per-node", "2",
            "--time", "00:10:00", "--nodelist", Node, .. more]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var id = r.StdOut.Trim();
        Assert.Matches("^[0-9]+$", id);
        var status = r.StdErr.Split('\n').FirstOrDefault(l => l.StartsWith("status: ", StringComparison.Ordinal));
        Assert.True(status is not null, $"submit printed no status line:\n{r}");
        return new Job(id, status);
    }

    private string Diagnostics(TrainingRun run, string id) =>
        $"job {id}: {slurm.JobState(id)}\n--- log\n{run.Log(id)}\n--- slurmctld.log\n" +
        string.Join('\n', File.ReadLines(Path.Combine(slurm.Base, "log", "slurmctld.log")).TakeLast(20));

    private void WaitForCheckpoint(TrainingRun run, string id, long atLeast) =>
        Poll.Until(() => run.LatestCheckpoint() >= atLeast, Wait, $"a checkpoint at step {atLeast} or later", () => Diagnostics(run, id));

    private void WaitForEnd(TrainingRun run, string id) =>
        Poll.Until(() => !slurm.InQueue(id), Wait, $"job {id} to leave the queue", () => Diagnostics(run, id));

    /// <summary>The real `geneformer status` against the job's coordinator, polled until <paramref name="condition"/> holds.</summary>
    private JobView WaitForStatus(TrainingRun run, Job job, string what, Func<JobView, bool> condition)
    {
        JobView? seen = null;
        Poll.Until(() => (seen = CoordinatorStatus.Read(job.StatusUrl)) is { } v && condition(v), Wait, what,
            () => $"last status: {seen?.ToString() ?? "no answer"}\n{Diagnostics(run, job.Id)}");
        return seen!;
    }

    /// <summary>Once the job has left the queue, none of its geneformer processes may be left (they would hold its ports).</summary>
    private void AssertNothingLeftBehind(TrainingRun run, string id)
    {
        Poll.Until(() => JobProcesses.Of(run.Checkpoints, "coordinator").Count == 0 && JobProcesses.Of(run.Checkpoints).Count == 0,
            TimeSpan.FromSeconds(20), $"the processes of job {id} to end", () => Diagnostics(run, id));
    }

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

    /// <summary>Rank 0's line for each committed checkpoint (by itself, or by the coordinator).</summary>
    [GeneratedRegex(@"checkpoint \S+/step-(\d+) committed")]
    private static partial Regex Committed();

    /// <summary>The step the run resumed from after the log line naming restart count <paramref name="restart"/>.</summary>
    private static long ResumedStepAfter(string log, int restart)
    {
        var start = log.IndexOf($"SLURM_RESTART_COUNT={restart},", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no SLURM_RESTART_COUNT={restart} in the log:\n{log}");
        var m = Resumed().Match(log, start);
        Assert.True(m.Success, $"no 'resumed from' after SLURM_RESTART_COUNT={restart}:\n{log}");
        return long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The newest checkpoint the log reports committed before <paramref name="marker"/>.</summary>
    private static long LastCommittedBefore(string log, string marker)
    {
        var end = log.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(end >= 0, $"'{marker}' not in the log:\n{log}");
        return Committed().Matches(log[..end]).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
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
}
