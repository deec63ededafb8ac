using Geneformer.Distributed.Slurm;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>
/// slurm/pretrain.sbatch's own behaviour: node checks, sbatch errors, the arguments it gives the coordinator and the
/// ranks (with a stand-in geneformer: the GPU path cannot train on this machine), and the coordinator stopped with it.
/// </summary>
public partial class SlurmTests
{
    [Fact]
    public void A_job_whose_nodes_cannot_use_the_corpus_fails_before_starting_any_rank()
    {
        var dir = corpus.NewDir("slurm-check");
        var empty = Path.Combine(dir, "empty-corpus");
        Directory.CreateDirectory(empty);
        var run = new TrainingRun(Path.Combine(dir, "checkpoints"));
        var id = SubmitRun(Config(dir, maxSteps: 10), run.Checkpoints, empty).Id;
        WaitForEnd(run, id);
        var log = run.Log(id);
        Assert.True(slurm.JobState(id) == "FAILED", Diagnostics(run, id));
        Assert.Contains($": corpus {empty} is empty", log);
        Assert.Contains("nothing was started", log);
        Assert.DoesNotContain("launching", log);
        Assert.DoesNotContain("coordinator on", log);
    }

    [Fact]
    public void Sbatch_refusing_the_job_is_reported_with_its_own_message()
    {
        var dir = corpus.NewDir("slurm-refused");
        var r = Submit("--training", Config(dir, 10), "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"),
            "--cpu", "--nodes", "1", "--tasks-per-node", "2", "--time", "00:10:00", "--partition", "no-such-partition");
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("sbatch failed", r.StdErr);
        Assert.Contains("invalid partition", r.StdErr);
        Assert.Equal("", r.StdOut.Trim());
    }

    /// <summary>
    /// Stands in for geneformer and prints what it was started with. As coordinator it listens on the status port (a
    /// python3 child), runs the rank command it was given after -- once the script has seen it listen, stops its child and
    /// exits with the ranks' code; a rank exits with FAKE_RANK_EXIT (0 by default), and 75 leaves the child behind for the
    /// script to stop.
    /// </summary>
    private static string FakeGeneformer(string dir)
    {
        var fake = Path.Combine(dir, "fake-geneformer.sh");
        File.WriteAllText(fake, """
            #!/bin/bash
            case "$1" in
              coordinator)
                own=()
                while [ $# -gt 0 ] && [ "$1" != -- ]; do own+=("$1"); shift; done
                shift
                printf 'coordinator arg: %s\n' "${own[@]}"
                for ((i = 0; i < ${#own[@]}; i++)); do [ "${own[i]}" = --status-port ] && port=${own[i+1]}; done
                python3 -m http.server "$port" >/dev/null 2>&1 &
                echo "fake coordinator pid $$, its child $!"
                for _ in $(seq 1 100); do [ -f "$CHECKPOINTS/status-url" ] && break; sleep 0.2; done
                "$@"
                rc=$?
                [ "$rc" = 75 ] || kill $!
                exit "$rc" ;;
              *)
                printf "rank $SLURM_PROCID arg: %s\n" "$@"
                exit "${FAKE_RANK_EXIT:-0}" ;;
            esac

            """.ReplaceLineEndings("\n"));
        Assert.Equal(0, ProcessRunner.Run("chmod", ["+x", fake]).ExitCode);
        return fake;
    }

    /// <summary>
    /// Runs slurm/pretrain.sbatch with plain sbatch (1 node x 2 tasks, the GPU defaults otherwise) and the stand-in geneformer.
    /// The signal lead must stay well inside the time limit: with the script's 300 s lead and a 5-minute limit Slurm
    /// sends USR1 as the job starts.
    /// </summary>
    private (string Id, string Log, TrainingRun Run) RunShippedScript(string name, Dictionary<string, string> env)
    {
        slurm.EnsureStarted();
        var dir = corpus.NewDir(name);
        var checkpoints = Path.Combine(dir, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        var all = new Dictionary<string, string>
        {
            ["SLURM_CONF"] = slurm.Conf, ["GENEFORMER_BIN"] = FakeGeneformer(dir), ["CORPUS"] = corpus.Corpus, ["CHECKPOINTS"] = checkpoints,
            ["EXTRA_ARGS"] = "--max-steps 5 --note 'two words'",
        };
        foreach (var (k, v) in env) all[k] = v;
        var r = ProcessRunner.Run("sbatch", ["--parsable", "--nodes=1", "--ntasks-per-node=2", "--gres=none", "--cpus-per-task=1", "--time=10", "--signal=B:USR1@60",
            $"--output={checkpoints}/slurm-%j.out", Path.Combine(RepoPaths.Root, "slurm", "pretrain.sbatch")], TimeSpan.FromMinutes(1), env: all);
        Assert.True(r.ExitCode == 0, r.ToString());
        var id = r.StdOut.Trim();
        var run = new TrainingRun(checkpoints);
        WaitForEnd(run, id);
        var log = run.Log(id);
        Assert.Contains("1 node(s) x 2 task(s) = 2 rank(s), device cuda", log);
        return (id, log, run);
    }

    private static IEnumerable<string> Args(string log, string who) =>
        log.Split('\n').Where(l => l.StartsWith($"{who} arg: ", StringComparison.Ordinal)).Select(l => l[$"{who} arg: ".Length..]);

    [Fact]
    public void The_shipped_script_starts_the_coordinator_on_the_first_node_and_the_ranks_join_it_by_default()
    {
        var (id, log, run) = RunShippedScript("slurm-plain", []);
        Assert.True(slurm.JobState(id) == "COMPLETED", Diagnostics(run, id));
        var number = long.Parse(id);
        var (clusterPort, statusPort) = (ClusterPort(number), StatusPort(number));
        Assert.Equal(["coordinator", "--world-size", "2", "--checkpoints", run.Checkpoints, "--corpus", corpus.Corpus, "--port", $"{clusterPort}",
            "--status-port", $"{statusPort}", "--public-hostname", Node, "--max-restarts", "3", "--restart-delay", "10", "--cluster", "default"],
            Args(log, "coordinator"));
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Equal(["pretrain", "--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", run.Checkpoints,
                "--coordinator", $"{Node}:{clusterPort}", "--cluster", "default", "--max-steps", "5", "--note", "two words", "--device", $"cuda:{rank}"],
                Args(log, $"rank {rank}"));
        }
        Assert.Contains($"status: http://{Node}:{statusPort}/", log);
        Assert.Equal($"http://{Node}:{statusPort}/", File.ReadAllText(Path.Combine(run.Checkpoints, StatusUrl.FileName)).Trim());
        Assert.Contains("coordinator exited with 0", log);
        Assert.Contains("training finished", log);
    }

    [Fact]
    public void With_COORDINATOR_0_the_ranks_run_alone_and_resume_auto()
    {
        var (id, log, run) = RunShippedScript("slurm-plain-nocoord", new() { ["COORDINATOR"] = "0" });
        Assert.True(slurm.JobState(id) == "COMPLETED", Diagnostics(run, id));
        Assert.Empty(Args(log, "coordinator"));
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Equal(["pretrain", "--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", run.Checkpoints, "--resume", "auto",
                "--max-steps", "5", "--note", "two words", "--device", $"cuda:{rank}"], Args(log, $"rank {rank}"));
        }
        Assert.False(File.Exists(Path.Combine(run.Checkpoints, StatusUrl.FileName)));
        Assert.Contains("training finished", log);
    }

    /// <summary>A process of the coordinator's that outlived its batch script would hold the job's ports when the job starts again (same id, same ports).</summary>
    [Fact]
    public void The_coordinators_process_group_is_stopped_when_the_script_ends()
    {
        var (id, log, run) = RunShippedScript("slurm-leftover", new() { ["FAKE_RANK_EXIT"] = "75" });
        Assert.True(slurm.JobState(id) == "FAILED", Diagnostics(run, id));
        Assert.Contains("coordinator exited with 75", log);
        Assert.Contains("the ranks checkpointed and stopped (exit 75) without a USR1 to this script; not requeueing", log);
        var line = log.Split('\n').Single(l => l.StartsWith("fake coordinator pid ", StringComparison.Ordinal));
        var pids = line["fake coordinator pid ".Length..].Split(", its child ").Select(int.Parse).ToList();
        Poll.Until(() => pids.All(p => !JobProcesses.Alive(p)), TimeSpan.FromSeconds(15), $"the coordinator and its child ({line}) to be gone",
            () => Diagnostics(run, id));
        var port = StatusPort(long.Parse(id));
        using var client = new System.Net.Sockets.TcpClient();
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => client.Connect(Node, port));
    }

    [Fact]
    public void A_status_port_already_in_use_on_the_first_node_fails_the_job_before_any_rank_starts()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var (id, log, run) = RunShippedScript("slurm-port-taken", new() { ["STATUS_PORT"] = $"{port}" });
        Assert.True(slurm.JobState(id) == "FAILED", Diagnostics(run, id));
        Assert.Contains($"FAILED: port {port} on {Node} is already in use", log);
        Assert.Empty(Args(log, "coordinator"));
        Assert.DoesNotContain("launching", log);
    }
}
