using System.Diagnostics;
using Geneformer.Bench.ControlPlane;
using Geneformer.ClusterTestWorker;
using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;

namespace Geneformer.Distributed.Tests.Cluster;

public class FailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private static Process StartWorkerProcess(TestCluster cluster, int rank, string log)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Geneformer.ClusterTestWorker.dll"), "--seed", cluster.Seed.ToString(), "--rank", rank.ToString(),
                     "--checkpoints", cluster.Checkpoints, "--checkpoint-every", "5", "--step-ms", "100", "--train-cells", TestCluster.TrainCells.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs");
        var p = Process.Start(psi)!;
        var output = File.AppendText(log);
        output.AutoFlush = true;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine($"rank {rank}: {e.Data}"); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine($"rank {rank} err: {e.Data}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [Fact]
    public async Task A_killed_rank_process_stops_the_others_and_a_second_rendezvous_resumes_from_the_last_commit()
    {
        using var tmp = new TempDir();
        var log = tmp["workers.log"];
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var first = new[] { StartWorkerProcess(cluster, 0, log), StartWorkerProcess(cluster, 1, log) };
        try
        {
            await cluster.WaitForStatusAsync(s => s.Job.LastCommittedStep >= 5 && s.Workers.Length == 2 && s.Workers.All(w => w.Step >= 6), Patience, "training past the first commit");
            first[1].Kill(); // SIGKILL
            var survivor = first[0].WaitForExitAsync().WaitAsync(Patience);
            await survivor;
            Assert.True(first[0].ExitCode == SimulatedTrainingLoop.Aborted, $"rank 0 exited {first[0].ExitCode}, not {SimulatedTrainingLoop.Aborted}; the ranks' output:\n{File.ReadAllText(log)}");
            var status = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the restart to be recorded");
            Assert.Equal("rendezvous", status.Job.Phase);
            Assert.Equal(2, status.Job.Generation);
            Assert.Contains("rank 1", status.Job.LastFailure);
            Assert.Empty(status.Workers);
            var committed = status.Job.LastCommittedStep!.Value;

            var second = new[] { StartWorkerProcess(cluster, 0, log), StartWorkerProcess(cluster, 1, log) };
            try
            {
                var resumed = await cluster.WaitForStatusAsync(s => s.Job.Phase == "running" && s.Workers.Length == 2 && s.Workers.All(w => w.Step > committed), Patience, "the second generation to train");
                Assert.Equal(2, resumed.Job.Generation);
                Assert.EndsWith($"step-{committed:D6}", resumed.Job.ResumedFrom);
                Assert.Contains($"started generation 2 at step {committed}", File.ReadAllText(log));
            }
            finally
            {
                foreach (var p in second) p.Kill();
            }
        }
        finally
        {
            foreach (var p in first.Where(p => !p.HasExited)) p.Kill();
        }
    }

    /// <summary>
    /// Two rank processes on one node: the first hosts the node's agent. The second is stopped (SIGSTOP) while the agent
    /// lives on: its own heartbeat stops, so the agent stops reporting for it, and the coordinator finds it hung.
    /// </summary>
    [Fact]
    public async Task A_stopped_rank_whose_node_agent_lives_on_is_found_hung_by_its_silence()
    {
        using var tmp = new TempDir();
        var log = tmp["workers.log"];
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var host = StartWorkerProcess(cluster, 0, log);
        Process? stopped = null;
        try
        {
            await cluster.WaitForStatusAsync(s => s.Workers.Length == 1, Patience, "rank 0 to register (it hosts the node's agent)");
            stopped = StartWorkerProcess(cluster, 1, log);
            var running = await cluster.WaitForStatusAsync(s => s.Job.Phase == "running" && s.Workers.Length == 2 && s.Workers.All(w => w.Step >= 2), Patience, "both ranks training");
            Assert.All(running.Workers, w => Assert.Equal(host.Id, w.AgentPid));
            Process.Start("kill", ["-STOP", stopped.Id.ToString()])!.WaitForExit();
            var clock = Stopwatch.StartNew();
            var failed = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the stopped rank to be found hung");
            Assert.InRange(clock.Elapsed.TotalSeconds, cluster.Settings.Job.HeartbeatTimeoutSeconds - 1, cluster.Settings.Job.HeartbeatTimeoutSeconds + 10);
            Assert.Contains($"rank 1 ({Environment.MachineName}, pid {stopped.Id}) hung: no heartbeat", failed.Job.LastFailure);
        }
        finally
        {
            foreach (var p in new[] { host, stopped }.OfType<Process>().Where(p => !p.HasExited)) p.Kill();
        }
    }

    /// <summary>
    /// Every rank process stopped at once for longer than the heartbeat timeout (less than twice it, which the ranks
    /// allow the coordinator), then continued: a slowdown of the whole job, not a hung rank. The job goes on.
    /// </summary>
    [Fact]
    public async Task Ranks_silent_together_for_longer_than_the_timeout_are_slow_not_hung()
    {
        using var tmp = new TempDir();
        var log = tmp["workers.log"];
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var workers = new[] { StartWorkerProcess(cluster, 0, log), StartWorkerProcess(cluster, 1, log) };
        try
        {
            var running = await cluster.WaitForStatusAsync(s => s.Job.Phase == "running" && s.Workers.Length == 2 && s.Workers.All(w => w.Step >= 2), Patience, "both ranks training");
            var pids = string.Join(' ', workers.Select(w => w.Id));
            Process.Start("sh", ["-c", $"kill -STOP {pids}; sleep {1.5 * cluster.Settings.Job.HeartbeatTimeoutSeconds}; kill -CONT {pids}"])!.WaitForExit();
            var step = running.Workers.Max(w => w.Step);
            var after = await cluster.WaitForStatusAsync(s => s.Job.Restarts > 0 || s.Workers.Length == 2 && s.Workers.All(w => w.Step >= step + 10), Patience, "training to go on");
            Assert.True(after.Job.Restarts == 0, $"the common silence was taken for a hang: {after.Job.LastFailure}\n{File.ReadAllText(log)}");
            Assert.Equal(1, after.Job.Generation);
            Assert.All(after.Workers, w => Assert.True(w.MaxHeartbeatGapSeconds > cluster.Settings.Job.HeartbeatTimeoutSeconds, $"rank {w.Rank}'s longest gap {w.MaxHeartbeatGapSeconds}s"));
        }
        finally
        {
            foreach (var p in workers.Where(p => !p.HasExited)) p.Kill();
        }
    }

    [Fact]
    public async Task A_rank_that_stops_sending_heartbeats_is_detected_as_hung_and_the_others_are_aborted()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var healthy = await cluster.JoinAsync(0);
        // Rank 1's node agent stays up and reachable, but reports (the heartbeat) only on phase changes: once it trains it is silent.
        var silent = await cluster.JoinAsync(1, node: "silent-node", settings: TestCluster.TestSettings(cluster.Seed.Port,
            new Dictionary<string, string?> { ["status:report_interval_s"] = "1000", ["job:heartbeat_timeout_s"] = "2000" }));
        var orders = await Task.WhenAll(healthy.AwaitStartAsync(), silent.AwaitStartAsync()).WaitAsync(Patience);
        var loop = Task.Factory.StartNew(() => new SimulatedTrainingLoop(healthy, orders[0], 0, cluster.Checkpoints, 1000, TimeSpan.FromMilliseconds(100), f => f).Run(),
            TaskCreationOptions.LongRunning);
        _ = Task.Factory.StartNew(() => new SimulatedTrainingLoop(silent, orders[1], 1, cluster.Checkpoints, 1000, TimeSpan.FromMilliseconds(100), f => f).Run(),
            TaskCreationOptions.LongRunning);

        var clock = Stopwatch.StartNew();
        Assert.Equal(SimulatedTrainingLoop.Aborted, await loop.WaitAsync(Patience));
        Assert.Contains("rank 1", healthy.AbortReason);
        Assert.Contains("no heartbeat", healthy.AbortReason);
        Assert.InRange(clock.Elapsed.TotalSeconds, cluster.Settings.Job.HeartbeatTimeoutSeconds - 1, cluster.Settings.Job.HeartbeatTimeoutSeconds + 10);
        var status = await cluster.StatusAsync();
        Assert.Equal(1, status.Job.Restarts);
        Assert.Contains("hung", status.Job.LastFailure);
    }

    [Fact]
    public async Task A_batch_that_does_not_divide_among_the_ranks_ends_the_job_at_the_start_without_a_restart()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var job = TestCluster.Job with { GlobalBatch = 6 }; // micro batch 2 x 2 ranks = 4 does not divide 6
        await cluster.JoinAsync(0, job: job);
        await cluster.JoinAsync(1, job: job);

        var outcome = await cluster.Coordinator.Outcome.WaitAsync(Patience);
        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("stopped without a restart, which would meet the same error: could not prepare the start: global batch 6", outcome.Reason);
        var status = await cluster.StatusAsync();
        Assert.Equal(0, status.Job.Restarts);
    }

    [Fact]
    public async Task A_rank_failing_with_an_error_a_restart_would_meet_again_ends_the_job_without_spending_the_restart_budget()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var ranks = new[] { await cluster.JoinAsync(0), await cluster.JoinAsync(1) };
        await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);

        ranks[1].Fail("/corpus/train/part-00003.arrow: SHA-256 differs from the manifest's", permanent: true);
        // Fail returns once the coordinator has heard: a launcher may kill the node's agent the moment this process exits.
        Assert.True(ranks[1].Aborted.IsCancellationRequested, "Fail returned before the coordinator answered");

        var outcome = await cluster.Coordinator.Outcome.WaitAsync(Patience);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("stopped without a restart", outcome.Reason);
        Assert.Contains("rank 1", outcome.Reason);
        Assert.Contains("part-00003.arrow", outcome.Reason);
        var status = await cluster.StatusAsync();
        Assert.Equal(("failed", 0, 1), (status.Job.Phase, status.Job.Restarts, status.Job.Generation));
        await Task.Delay(Timeout.Infinite, ranks[0].Aborted).ContinueWith(_ => { }).WaitAsync(Patience); // the other rank is told to stop
        Assert.Contains("part-00003.arrow", ranks[0].AbortReason);
    }

    /// <summary>
    /// srun --kill-on-bad-exit kills every rank at once. The two ranks share a node, so one of them hosts the node's
    /// agent, the node's only member besides the coordinator. The coordinator fails the generation when the reports
    /// stop and downs the dead member itself (there is no split-brain resolver), so the next generation joins a clean
    /// membership.
    /// </summary>
    [Fact]
    public async Task Ranks_killed_together_are_downed_by_the_coordinator_and_leave_a_clean_membership()
    {
        using var tmp = new TempDir();
        var log = tmp["workers.log"];
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var workers = new[] { StartWorkerProcess(cluster, 0, log), StartWorkerProcess(cluster, 1, log) };
        try
        {
            await cluster.WaitForStatusAsync(s => s.Job.Phase == "running" && s.Workers.Length == 2 && s.Workers.All(w => w.Step >= 2), Patience, "both ranks training");
            var akka = Akka.Cluster.Cluster.Get(cluster.Coordinator.System);
            Assert.Equal(2, akka.State.Members.Count); // the coordinator and one node agent for both ranks
            foreach (var p in workers) p.Kill(); // SIGKILL, both
            var clock = Stopwatch.StartNew();
            while (akka.State.Members.Count > 1 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200);
            Assert.True(akka.State.Members.Count == 1, $"members after {clock.Elapsed.TotalSeconds:0} s: {string.Join(", ", akka.State.Members)}; unreachable: {string.Join(", ", akka.State.Unreachable)}\n{File.ReadAllText(log)}");
            var status = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1 && s.Job.Phase == "rendezvous", Patience, "the restart to be recorded");
            Assert.Equal(2, status.Job.Generation);
        }
        finally
        {
            foreach (var p in workers.Where(p => !p.HasExited)) p.Kill();
        }
    }
}
