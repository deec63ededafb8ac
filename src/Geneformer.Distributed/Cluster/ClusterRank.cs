using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Geneformer.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// One training rank in the cluster. Usage in a rank process:
/// <code>
/// await using var rank = await ClusterRank.JoinAsync(options, ct);
/// var start = await rank.AwaitStartAsync(ct);          // resume checkpoint, NCCL id, verified data plan
/// new Trainer(..., stop: options.Stop, observer: rank.Observer, committer: rank.Committer).Run(...);
/// // rank.Aborted fires when the coordinator aborts the job (another rank died or hung): exit at once.
/// </code>
/// </summary>
public sealed class ClusterRank : IAsyncDisposable
{
    private readonly IHost host;
    private readonly WorkerLink link;
    private readonly ClusterRankOptions options;
    private volatile bool disposing;

    public ITrainingObserver Observer { get; }
    public ICheckpointCommitter Committer { get; }
    public CancellationToken Aborted => link.Aborted;
    public string? AbortReason => link.AbortReason;
    public StopSignal Stop => link.Stop;
    public ActorSystem System { get; }
    private readonly IActorRef worker;

    private ClusterRank(IHost host, WorkerLink link, ClusterRankOptions options, ActorSystem system, IActorRef worker)
    {
        (this.host, this.link, this.options, System, this.worker) = (host, link, options, system, worker);
        Observer = new ClusterTrainingObserver(worker);
        Committer = new ClusterCheckpointCommitter(worker, link, TimeSpan.FromSeconds(options.Settings.Job.CommitTimeoutSeconds));
        system.WhenTerminated.ContinueWith(_ => link.Abort("this rank's actor system stopped (downed or left the cluster)"), TaskScheduler.Default);
        if (options.ExitProcessOnAbort is { } code)
        {
            link.Aborted.Register(() => Task.Delay(TimeSpan.FromSeconds(options.Settings.Job.AbortGraceSeconds)).ContinueWith(_ =>
            {
                if (disposing) return;
                Console.Error.WriteLine($"rank {options.Identity.Rank}: aborted ({link.AbortReason}); exiting with {code}");
                Environment.Exit(code);
            }, TaskScheduler.Default));
        }
    }

    public static async Task<ClusterRank> JoinAsync(ClusterRankOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Seeds.Count == 0) throw new ArgumentException("no seed node: give --coordinator-seed HOST:PORT, remote.seed_nodes, or run inside a Slurm job");
        var link = new WorkerLink(options.Stop);
        var registration = new RegisterWorker(options.Identity, options.Job, options.TrainCells, options.NcclUniqueId);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(l => l >= options.LogLevel);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = MelLogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.Services.AddAkka(options.Settings.Remote.SystemName, akka => akka
            .ConfigureLoggers(l => l.AddLoggerFactory())
            .WithGeneformerCluster(options.Settings, AkkaClusterSetup.WorkerRole, options.Port, options.Seeds)
            .WithSingletonProxy<CoordinatorKey>("coordinator", new ClusterSingletonOptions { Role = AkkaClusterSetup.CoordinatorRole })
            .WithActors((system, registry) =>
            {
                var props = WorkerActor.Props(registration, registry.Get<CoordinatorKey>(), link,
                    TimeSpan.FromSeconds(options.Settings.Status.ReportIntervalSeconds), options.DeviceMemory);
                registry.Register<WorkerActor>(system.ActorOf(props, "worker"));
            }));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var worker = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<WorkerActor>(cancellationToken);
        return new ClusterRank(host, link, options, system, worker);
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
    /// <paramref name="permanent"/> (a restart would meet it again), stops it.
    /// </summary>
    public void Fail(string error, bool permanent = false) => worker.Tell(new WorkerActor.PhaseChanged(TrainingPhase.Failed, error, permanent));

    /// <summary>Leaves the cluster gracefully (after the last report is sent).</summary>
    public async ValueTask DisposeAsync()
    {
        disposing = true;
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // let a final phase report leave the mailbox
        await host.StopAsync();
        host.Dispose();
    }
}
