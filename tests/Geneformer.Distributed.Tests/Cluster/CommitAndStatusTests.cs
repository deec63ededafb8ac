using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Tests.Cluster;

public class CommitAndStatusTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static void WritePart(string checkpoints, long step, int rank)
    {
        var part = CheckpointLayout.RankPartPath(new CheckpointStore(checkpoints).StagingPath(step), rank);
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        File.WriteAllText(part, new RankPart(rank, step, step * 16, "digest").ToJson());
    }

    [Fact]
    public async Task A_checkpoint_is_committed_only_once_every_rank_reported_its_part_and_never_with_a_part_missing()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var ranks = new[] { await cluster.JoinAsync(0), await cluster.JoinAsync(1) };
        await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        var store = new CheckpointStore(cluster.Checkpoints);

        WritePart(cluster.Checkpoints, 5, 0);
        var rank0 = Task.Run(() => ranks[0].Committer.PartWritten(5, 0));
        await Task.Delay(1500);
        Assert.False(rank0.IsCompleted, "rank 0's commit returned before rank 1 reported");
        Assert.False(Directory.Exists(store.PathOf(5)));
        WritePart(cluster.Checkpoints, 5, 1);
        await Task.WhenAll(rank0, Task.Run(() => ranks[1].Committer.PartWritten(5, 1))).WaitAsync(Patience);
        Assert.True(store.List().Single().Verified);
        Assert.Equal(5, store.LatestPointer());

        // Rank 1 claims its part of step 10 but the file is not there: refused, nothing committed, the job restarts.
        WritePart(cluster.Checkpoints, 10, 0);
        var both = new[] { Task.Run(() => ranks[0].Committer.PartWritten(10, 0)), Task.Run(() => ranks[1].Committer.PartWritten(10, 1)) };
        foreach (var t in both) await Assert.ThrowsAnyAsync<Exception>(() => t.WaitAsync(Patience));
        Assert.False(Directory.Exists(store.PathOf(10)));
        Assert.Equal(5, store.LatestPointer());
        var status = await cluster.WaitForStatusAsync(s => s.Job.Restarts == 1, Patience, "the refused commit to fail the generation");
        Assert.Contains("rank(s) 1 missing", status.Job.LastFailure);
        var restart = Assert.Single(status.Job.RestartHistory);
        Assert.Equal(2, restart.Generation);
        Assert.Contains("rank(s) 1 missing", restart.Cause);
        Assert.InRange((status.Job.Time - restart.Time).TotalSeconds, 0, 30);
        Assert.Equal(5, status.Job.LastCommittedStep);
    }

    [Fact]
    public async Task Status_endpoints_answer_and_the_page_renders_both_ranks_in_a_headless_browser()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var ranks = new[] { await cluster.JoinAsync(0), await cluster.JoinAsync(1) };
        var orders = await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        // Rank 1 computes 400 ms a step, rank 0 100 ms and then waits for it in the all-reduce: rank 1 is the straggler.
        var training = TestCluster.Train(ranks, orders, cluster.Checkpoints, checkpointEvery: 4, stepMs: 100, slowRank: 1, slowStepMs: 400, validationEvery: 3);
        var status = await cluster.WaitForStatusAsync(s => s.Workers.All(w => w.Step >= 2) && s.Workers.Length == 2 && s.Validation.Length >= 1 && s.Job.LastCommittedStep >= 4
                                                           && s.History.Length >= 8 && s.Workers.Any(w => w.Straggler), Patience, "training, a validation loss, a checkpoint, 8 points of the loss curve and a straggler");
        Assert.Equal(1, status.Job.SlowestRank);
        Assert.True(status.Job.Straggler);
        Assert.Equal([false, true], status.Workers.OrderBy(w => w.Rank).Select(w => w.Straggler));
        Assert.InRange(status.Workers.Single(w => w.Rank == 1).ComputeSeconds!.Value, 0.35, 1.5);
        Assert.InRange(status.Workers.Single(w => w.Rank == 0).ComputeSeconds!.Value, 0.05, 0.3);
        Assert.InRange(Math.Abs(status.Workers.Sum(w => w.TokensPerSecond!.Value) - status.Job.TokensPerSecond!.Value), 0, 0.06); // the job's is rounded to 0.1
        Assert.True(status.Job.Mfu > 0);
        // The ETA is the steps left at the recent pace (about 400 ms a step), measured over the points of the loss curve.
        var left = status.Job.MaxSteps!.Value - status.Job.Step!.Value;
        Assert.InRange(status.Job.EtaSeconds!.Value, 0.25 * left, 1.2 * left);
        Assert.InRange(status.Job.LastCommittedAgeSeconds!.Value, 0, 30);
        Assert.All(status.Validation, v => Assert.Equal(0, v.Step % 3));

        var health = await cluster.Http.GetAsync(new Uri(cluster.Coordinator.StatusUrl, "healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.StartsWith("ok: running, 2/2", await health.Content.ReadAsStringAsync());

        var metrics = await cluster.Http.GetAsync(new Uri(cluster.Coordinator.StatusUrl, "metrics"));
        Assert.StartsWith("text/plain; version=0.0.4", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("geneformer_job_world_size 2\n", text);
        Assert.Contains("geneformer_job_phase{phase=\"running\"} 1\n", text);
        Assert.Matches("geneformer_worker_step\\{rank=\"1\",node=\"node-0\",local_rank=\"1\"\\} [1-9]", text);
        Assert.Contains("geneformer_worker_straggler{rank=\"1\",node=\"node-0\",local_rank=\"1\"} 1\n", text);
        Assert.Contains("geneformer_job_straggler 1\n", text);
        Assert.Matches("geneformer_job_eta_seconds \\d", text);

        var post = await cluster.Http.PostAsync(new Uri(cluster.Coordinator.StatusUrl, "api/status"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);

        var dom = HeadlessChromium.DumpDom(cluster.Coordinator.StatusUrl.ToString(), tmp["chromium"], TimeSpan.FromSeconds(60));
        Assert.True(dom.ExitCode == 0, dom.ToString());
        Assert.Contains("<tr class=\"worker\" data-rank=\"0\">", dom.StdOut);
        Assert.Contains("node-0 (2 ranks)", dom.StdOut);
        Assert.Contains("phase: running", dom.StdOut);
        Assert.Contains("<tr class=\"worker straggler\" data-rank=\"1\">", dom.StdOut);
        Assert.Contains("straggler: rank 1 on node-0", dom.StdOut);
        Assert.Matches("ETA: (\\d+m )?\\d+s", dom.StdOut);
        Assert.Matches("MFU: \\d+\\.\\d%", dom.StdOut);
        Assert.Matches("last committed step: \\d+ \\((\\d+m )?\\d+s ago\\)", dom.StdOut);
        Assert.Matches("<canvas id=\"loss\"[^>]* data-points=\"[1-9]\\d*\" data-validation-points=\"[1-9]\\d*\"", dom.StdOut);

        await cluster.Coordinator.DisposeAsync().AsTask().WaitAsync(Patience).ContinueWith(_ => { });
        foreach (var t in training) await t.WaitAsync(Patience);
    }

    [Fact]
    public async Task The_status_endpoint_answers_on_the_address_it_is_bound_to_and_on_no_other()
    {
        // On Linux every 127.x address is this machine's: binding 127.0.0.2 shows the setting is used, not loopback by default.
        var bind = OperatingSystem.IsLinux() ? "127.0.0.2" : "127.0.0.1";
        IPAddress[] loopback = OperatingSystem.IsLinux() ? [IPAddress.Loopback] : [];
        var elsewhere = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .Concat(loopback).ToArray();
        Assert.NotEmpty(elsewhere);
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(1, tmp["ckpt"], new Dictionary<string, string?> { ["status:bind"] = bind });

        var port = cluster.Coordinator.StatusUrl.Port;
        Assert.Equal(bind, cluster.Coordinator.StatusUrl.Host);
        Assert.Equal("rendezvous", (await cluster.StatusAsync()).Job.Phase);
        Assert.True(await AcceptsAsync(IPAddress.Parse(bind), port));
        foreach (var address in elsewhere)
            Assert.False(await AcceptsAsync(address, port), $"the status endpoint bound to {bind} accepted a connection on {address}");
    }

    private static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(3));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Preemption_orders_a_final_checkpoint_at_one_step_on_every_rank_commits_it_and_ends_with_75()
    {
        using var tmp = new TempDir();
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"]);
        var ranks = new[] { await cluster.JoinAsync(0), await cluster.JoinAsync(1) };
        var orders = await Task.WhenAll(ranks.Select(r => r.AwaitStartAsync())).WaitAsync(Patience);
        var training = TestCluster.Train(ranks, orders, cluster.Checkpoints, checkpointEvery: 1000, stepMs: 100);
        await cluster.WaitForStatusAsync(s => s.Workers.All(w => w.Step >= 3) && s.Workers.Length == 2, Patience, "training");

        cluster.Coordinator.CheckpointNow("test: on demand");
        var onDemand = await cluster.WaitForStatusAsync(s => s.Job.LastCommittedStep is not null, Patience, "the on-demand checkpoint");
        Assert.Equal("running", onDemand.Job.Phase);

        var clock = Stopwatch.StartNew();
        cluster.Coordinator.Preempt("test: SIGUSR1");
        var outcome = await cluster.Coordinator.Outcome.WaitAsync(Patience);
        Assert.Equal(TrainerExit.Preempted, outcome.ExitCode);
        var exits = await Task.WhenAll(training).WaitAsync(Patience);
        Assert.Equal(new[] { TrainerExit.Preempted, TrainerExit.Preempted }, exits);
        var store = new CheckpointStore(cluster.Checkpoints);
        var final = store.List().First();
        Assert.True(final.Verified);
        Assert.True(final.Step > onDemand.Job.LastCommittedStep);
        Assert.Equal(final.Step, store.LatestPointer());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
    }
}
