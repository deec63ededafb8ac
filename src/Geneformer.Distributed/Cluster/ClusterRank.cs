using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// One training rank in the cluster, through its node's agent (<see cref="NodeAgent"/>): the first rank process of a
/// node to start hosts the agent, and every rank of the node, that one included, connects to it. Usage in a rank process:
/// <code>
/// await using var rank = await ClusterRank.JoinAsync(options, ct);
/// var start = await rank.AwaitStartAsync(ct);          // resume checkpoint, NCCL id, verified data plan
/// new Trainer(..., stop: options.Stop, observer: rank.Observer, committer: rank.Committer).Run(...);
/// // rank.Aborted fires when the coordinator aborts the job (another rank died or hung): exit at once.
/// </code>
/// </summary>
public sealed class ClusterRank : IAsyncDisposable
{
    private readonly RankLinkConnection connection;
    private readonly WorkerLink link;
    private readonly ClusterRankOptions options;
    private DateTimeOffset lastHeard = DateTimeOffset.UtcNow;
    private volatile bool started;
    private volatile bool disposing;

    public ITrainingObserver Observer { get; }
    public ICheckpointCommitter Committer { get; }
    public CancellationToken Aborted => link.Aborted;
    public string? AbortReason => link.AbortReason;
    public StopSignal Stop => link.Stop;
    /// <summary>This node's agent when this process hosts it, else null.</summary>
    public NodeAgent? Agent { get; }

    private ClusterRank(RankLinkConnection connection, WorkerLink link, ClusterRankOptions options, NodeAgent? agent)
    {
        (this.connection, this.link, this.options, Agent) = (connection, link, options, agent);
        Observer = new RankLinkObserver(connection, options.DeviceMemory);
        Committer = new RankLinkCommitter(connection, link, TimeSpan.FromSeconds(options.Settings.Job.CommitTimeoutSeconds));
        new Thread(Receive) { IsBackground = true, Name = "rank link" }.Start();
        // A thread of its own, started before training lowers its priority (TrainingPriority): the rank's heartbeat.
        new Thread(Beat) { IsBackground = true, Name = "rank heartbeat" }.Start();
        if (options.ExitProcessOnAbort is { } code)
        {
            link.Aborted.Register(() => Task.Delay(TimeSpan.FromSeconds(options.Settings.Job.AbortGraceSeconds)).ContinueWith(_ =>
            {
                if (disposing) return;
                Console.Error.WriteLine($"rank {options.Identity.Rank}: aborted ({link.AbortReason}); its training did not stop within job.abort_grace_s ({options.Settings.Job.AbortGraceSeconds}s), exiting with {code}");
                HardExit.Now(code);
            }, TaskScheduler.Default));
        }
    }

    public static async Task<ClusterRank> JoinAsync(ClusterRankOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Seeds.Count == 0) throw new ArgumentException("no seed node: give --coordinator HOST:PORT, remote.seed_nodes, or run inside a Slurm job");
        var address = NodeAgentAddress.For(options.Seeds[0], options.Identity.Node);
        var agent = await NodeAgent.TryStartAsync(new NodeAgentOptions(options.Settings, options.Seeds, address) { Port = options.Port, LogLevel = options.LogLevel }, cancellationToken);
        try
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(options.Settings.Job.StartupTimeoutSeconds);
            var connection = await RankLinkConnection.ConnectAsync(address, deadline, cancellationToken);
            var link = new WorkerLink(options.Stop);
            if (!connection.Send(new RankLink.Register(new RegisterWorker(options.Identity, options.Job, options.TrainCells, options.NcclUniqueId))))
                throw new IOException($"the node agent at {address} closed the connection");
            return new ClusterRank(connection, link, options, agent);
        }
        catch
        {
            if (agent is not null) await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the coordinator's start order (all ranks registered) and checks its data plan against this rank's inputs.</summary>
    public async Task<StartOrder> AwaitStartAsync(CancellationToken cancellationToken = default)
    {
        var order = await link.Start.Task.WaitAsync(cancellationToken);
        try
        {
            DataPlanner.Verify(order.Plan, options.TrainCells, options.Job, order.WorldSize);
        }
        catch (InvalidDataException e)
        {
            Fail(e.Message);
            throw;
        }
        return order;
    }

    /// <summary>
    /// Reports this rank as failed: the coordinator aborts the job and restarts it, or, when the error is
    /// <paramref name="permanent"/> (a restart would meet it again), stops it. Returns once the coordinator has answered
    /// with that abort, or after <c>job.heartbeat_timeout_s</c> without an answer: the process ends right after, and a
    /// launcher that then kills the job's other ranks (mpiexec, srun --kill-on-bad-exit) would also kill the node's
    /// agent with the report still on its way, and the coordinator would see only an exit code, not the error.
    /// </summary>
    public void Fail(string error, bool permanent = false)
    {
        if (connection.Send(new RankLink.PhaseReport(TrainingPhase.Failed, error, permanent)))
            link.Aborted.WaitHandle.WaitOne(TimeSpan.FromSeconds(options.Settings.Job.HeartbeatTimeoutSeconds));
    }

    private void Receive()
    {
        while (connection.Receive() is { } message)
        {
            lastHeard = DateTimeOffset.UtcNow;
            switch (message)
            {
                case RankLink.Start s:
                    started = true;
                    link.Start.TrySetResult(s.Order);
                    break;
                case RankLink.Committed c:
                    link.CommitOf(c.Step).TrySetResult(c.Path);
                    break;
                case RankLink.CommitRefused r:
                    link.CommitOf(r.Step).TrySetException(new InvalidOperationException($"checkpoint step {r.Step} was not committed: {r.Reason}"));
                    break;
                case RankLink.CheckpointRequested:
                    link.Stop.RequestCheckpoint();
                    break;
                case RankLink.StopRequested s:
                    link.Stop.Request(s.Reason);
                    break;
                case RankLink.Aborted a:
                    link.Abort(a.Reason);
                    break;
            }
        }
        if (!disposing) link.Abort($"this node's agent ({connection.Peer}) is gone: the rank process hosting it ended, or its cluster member stopped");
    }

    /// <summary>
    /// Ends this rank as its process's death would, without a clean stop: its connection closes at once and it is
    /// aborted. The control-plane benchmark kills simulated ranks this way.
    /// </summary>
    public void Sever()
    {
        disposing = true;
        connection.Dispose();
        link.Abort("severed: the rank's process is gone");
    }

    /// <summary>
    /// Every report interval: tells the agent this process is alive, and checks the agent is (it says so as often; one
    /// that falls silent, its process stopped, is as good as gone).
    /// </summary>
    private void Beat()
    {
        var interval = TimeSpan.FromSeconds(options.Settings.Status.ReportIntervalSeconds);
        while (!disposing && !link.Aborted.WaitHandle.WaitOne(interval))
        {
            connection.Send(new RankLink.Heartbeat());
            var silent = (DateTimeOffset.UtcNow - lastHeard).TotalSeconds;
            var limit = started ? 2 * options.Settings.Job.HeartbeatTimeoutSeconds : options.Settings.Job.StartupTimeoutSeconds;
            if (silent > limit) link.Abort($"nothing from this node's agent for {silent:0}s");
        }
    }

    /// <summary>Closes this rank's connection (after its last report), then, if this process hosts the node's agent, stops it once the node's other ranks have left.</summary>
    public async ValueTask DisposeAsync()
    {
        disposing = true;
        connection.Dispose();
        if (Agent is not null) await Agent.DisposeAsync();
    }
}
