using System.Diagnostics;
using Geneformer.Bench.ControlPlane;
using Geneformer.ClusterTestWorker;
using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>
/// Slow is not dead: start-up has a deadline of its own, silence fails a rank only once it trains, and a rank's death
/// is known from its exit. The coordinator spends its restarts before it gives up, and then says why.
/// </summary>
public class StartupAndLaunchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_rendezvous_that_never_completes_fails_at_the_startup_deadline_naming_the_missing_ranks()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(4, tmp["ckpt"], new Dictionary<string, string?> { ["job:startup_timeout_s"] = "4" });
        await cluster.JoinAsync(0);
        await cluster.JoinAsync(2);
        var clock = Stopwatch.StartNew();
        var status = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the start-up deadline");
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 15);
        Assert.Equal(("rendezvous", 2), (status.Job.Phase, status.Job.Generation));
        Assert.Contains("startup_timeout_s (4s): 2 of 4 ranks registered; missing ranks 1, 3", status.Job.LastFailure);
    }

    [Fact]
    public async Task A_rank_slow_to_start_is_not_failed_for_its_silence_until_the_startup_deadline()
    {
        using var tmp = new TempDir();
        // Heartbeat timeout 2 s, start-up deadline 12 s: rank 1 never trains, rank 0 does.
        var overrides = new Dictionary<string, string?> { ["job:startup_timeout_s"] = "12", ["job:heartbeat_timeout_s"] = "2" };
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"], overrides);
        var settings = TestCluster.TestSettings(cluster.Seed.Port, overrides);
        var ranks = new[] { await cluster.JoinAsync(0, settings: settings), await cluster.JoinAsync(1, settings: settings, node: "slow-node") };
        var orders = await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        var clock = Stopwatch.StartNew();
        _ = Task.Factory.StartNew(() => new SimulatedTrainingLoop(ranks[0], orders[0], 0, cluster.Checkpoints, 1000, TimeSpan.FromMilliseconds(100), f => f).Run(), TaskCreationOptions.LongRunning);

        await Task.Delay(TimeSpan.FromSeconds(6)); // three heartbeat timeouts
        var waiting = await cluster.StatusAsync();
        Assert.Equal((0, "running"), (waiting.Job.Restarts, waiting.Job.Phase));

        var failed = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the start-up deadline");
        Assert.InRange(clock.Elapsed.TotalSeconds, 6, 25);
        Assert.Contains("rank 1 (slow-node", failed.Job.LastFailure);
        Assert.Contains("did not start training within job.startup_timeout_s (12s)", failed.Job.LastFailure);
    }

    [Fact]
    public async Task A_rank_process_that_ends_without_stopping_fails_the_job_at_once_not_after_the_heartbeat_timeout()
    {
        using var tmp = new TempDir();
        var overrides = new Dictionary<string, string?> { ["job:heartbeat_timeout_s"] = "120" };
        await using var cluster = await TestCluster.StartAsync(4, tmp["ckpt"], overrides);
        var settings = TestCluster.TestSettings(cluster.Seed.Port, overrides);
        // Four ranks on two nodes: the first rank of each node hosts the node's agent, so the cluster has three members.
        var ranks = new List<ClusterRank>();
        for (var r = 0; r < 4; r++) ranks.Add(await cluster.JoinAsync(r, settings: settings));
        var orders = await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        Assert.Equal(3, Akka.Cluster.Cluster.Get(cluster.Coordinator.System).State.Members.Count);
        Assert.NotNull(ranks[0].Agent);
        Assert.Null(ranks[1].Agent);
        var training = TestCluster.Train(ranks, orders, cluster.Checkpoints, checkpointEvery: 1000, stepMs: 100);
        await cluster.WaitForStatusAsync(s => s.Workers.Length == 4 && s.Workers.All(w => w.Step >= 2), Patience, "every rank training");

        var clock = Stopwatch.StartNew();
        await ranks[3].DisposeAsync(); // its connection closes, as when its process exits
        var failed = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the failure");
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed.TotalSeconds:0.0}s");
        Assert.Contains("rank 3 (node-1", failed.Job.LastFailure);
        Assert.Contains("exited without stopping", failed.Job.LastFailure);
        foreach (var t in training.Take(3)) Assert.Equal(SimulatedTrainingLoop.Aborted, await t.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_launch_that_ends_fails_its_generation_at_once_and_every_restart_is_spent_before_the_job_fails_with_its_reason()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"], new Dictionary<string, string?> { ["job:max_restarts"] = "2" });
        var host = cluster.Coordinator;

        Assert.Equal(new LaunchAccepted(1, 0, 2), await host.RanksLaunchedAsync());
        Assert.Equal(new LaunchVerdict(true, 2), await host.LaunchEndedAsync(1, 137));
        var status = await cluster.StatusAsync();
        Assert.Equal((1, 2), (status.Job.Restarts, status.Job.Generation));
        Assert.Contains("the ranks' processes exited (launcher exit 137)", status.Job.LastFailure);
        // A launch of an earlier generation ending again fails nothing more.
        Assert.Equal(new LaunchVerdict(true, 2), await host.LaunchEndedAsync(1, 137));
        Assert.Equal(1, (await cluster.StatusAsync()).Job.Restarts);

        Assert.Equal(new LaunchAccepted(2, 1, 2), await host.RanksLaunchedAsync());
        Assert.Equal(new LaunchVerdict(true, 3), await host.LaunchEndedAsync(2, 1));
        Assert.False(host.Outcome.IsCompleted);
        Assert.Equal(new LaunchVerdict(false, 3), await host.LaunchEndedAsync(3, 1));
        var outcome = await host.Outcome.WaitAsync(Patience);
        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("failed after 2 restarts: the ranks' processes exited (launcher exit 1)", outcome.Reason);
        Assert.DoesNotContain('\n', outcome.Reason);
    }
}
