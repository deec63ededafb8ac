using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Tests.Cluster;

public class RendezvousTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_ranks_get_one_start_order_train_report_and_complete_with_committed_checkpoints()
    {
        using var tmp = new TempDir();
        var job = TestCluster.Job with { MaxSteps = 30 };
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var rank1 = await cluster.JoinAsync(1, job: job);
        var rank0 = await cluster.JoinAsync(0, ncclId: "bmNjbC1pZA==", job: job);
        var orders = await Task.WhenAll(rank0.AwaitStartAsync(), rank1.AwaitStartAsync()).WaitAsync(Patience);

        Assert.All(orders, o => Assert.Equal(orders[0] with { Plan = o.Plan }, o));
        Assert.All(orders, o => Assert.Equal(orders[0].Plan.Checksum, o.Plan.Checksum));
        Assert.Equal(1, orders[0].Generation);
        Assert.Equal("bmNjbC1pZA==", orders[0].NcclUniqueId);
        Assert.Null(orders[0].ResumeCheckpoint);
        Assert.Equal(0, orders[0].ResumeStep);
        Assert.Empty(orders[0].Plan.Epochs); // each rank counts its shares itself; the order carries the checksum
        Assert.Equal(DataPlanner.Build(TestCluster.TrainCells, job, 2, 0).Checksum, orders[0].Plan.Checksum);

        var training = TestCluster.Train([rank0, rank1], orders, cluster.Checkpoints, checkpointEvery: 10, stepMs: 100);
        var early = await cluster.WaitForStatusAsync(s => s.Workers.Length == 2 && s.Workers.All(w => w.Step >= 3), Patience, "both ranks past step 3");
        Assert.Equal("running", early.Job.Phase);
        Assert.Equal([0, 1], early.Workers.Select(w => w.Rank));
        Assert.All(early.Workers, w => Assert.Equal("training", w.Phase));
        Assert.Equal(["node-0", "node-0"], early.Workers.Select(w => w.Node));
        var later = await cluster.WaitForStatusAsync(s => s.Workers.All(w => w.Step > early.Workers.Max(x => x.Step) + 2), Patience, "steps to advance");
        Assert.All(later.Workers, w => Assert.False(w.Stale));
        Assert.NotEmpty(later.History);

        var exits = await Task.WhenAll(training).WaitAsync(Patience);
        Assert.Equal(new[] { 0, 0 }, exits);
        var outcome = await cluster.Coordinator.Outcome.WaitAsync(Patience);
        Assert.Equal(0, outcome.ExitCode);
        var store = new CheckpointStore(cluster.Checkpoints);
        Assert.Equal([30L, 20L, 10L], store.List().Select(c => c.Step));
        Assert.All(store.List(), c => Assert.True(c.Verified, string.Join("; ", c.Problems)));
        Assert.True(File.Exists(CheckpointLayout.RankPartPath(store.PathOf(30), 1)));
        Assert.Equal(30, store.LatestPointer());
    }

    /// <summary>A job whose final checkpoint is committed (its ranks lost just after it, or the coordinator restarted) trains no step and still completes.</summary>
    [Fact]
    public async Task A_job_resumed_from_its_final_checkpoint_completes_at_once()
    {
        using var tmp = new TempDir();
        var job = TestCluster.Job with { MaxSteps = 10 };
        await using (var first = await TestCluster.StartAsync(2, tmp["ckpt"]))
        {
            var ranks = new[] { await first.JoinAsync(1, job: job), await first.JoinAsync(0, job: job) };
            var orders = await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
            Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(TestCluster.Train(ranks, orders, first.Checkpoints, checkpointEvery: 10, stepMs: 20)).WaitAsync(Patience));
            Assert.Equal(0, (await first.Coordinator.Outcome.WaitAsync(Patience)).ExitCode);
        }

        await using var again = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var rejoined = new[] { await again.JoinAsync(1, job: job), await again.JoinAsync(0, job: job) };
        var resumed = await Task.WhenAll(rejoined.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        Assert.All(resumed, o => Assert.Equal(10, o.ResumeStep));
        Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(TestCluster.Train(rejoined, resumed, again.Checkpoints, checkpointEvery: 10, stepMs: 20)).WaitAsync(Patience));
        var outcome = await again.Coordinator.Outcome.WaitAsync(Patience);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("completed 10 steps", outcome.Reason);
    }

    [Fact]
    public async Task A_rank_whose_node_agent_stops_is_aborted_and_disposes_cleanly()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(1, tmp["ckpt"]);
        var rank = await cluster.JoinAsync(0);
        await rank.Agent!.System.Terminate(); // as when the node's member is downed
        Assert.True(rank.Aborted.WaitHandle.WaitOne(Patience), "the rank was not aborted when its node agent's actor system stopped");
        await rank.DisposeAsync(); // no cluster left to leave: must not throw
    }

    [Fact]
    public async Task A_rank_with_other_training_settings_or_another_corpus_is_refused()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var good = await cluster.JoinAsync(0);
        var otherBatch = await cluster.JoinAsync(1, job: TestCluster.Job with { GlobalBatch = 16 });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => otherBatch.AwaitStartAsync().WaitAsync(Patience));
        Assert.Contains("differ from rank 0", otherBatch.AbortReason);
        var otherCorpus = await cluster.JoinAsync(1, trainCells: 65);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => otherCorpus.AwaitStartAsync().WaitAsync(Patience));
        Assert.Contains("65 train cells", otherCorpus.AbortReason);
        var status = await cluster.StatusAsync();
        Assert.Equal("rendezvous", status.Job.Phase);
        Assert.Equal([0], status.Workers.Select(w => w.Rank));
        Assert.False(good.Aborted.IsCancellationRequested);
    }
}
