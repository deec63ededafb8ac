using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Geneformer.Distributed.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The coordinator process: one generic host (Kestrel + Akka.Hosting) running the cluster seed, the
/// <see cref="Coordinator"/> singleton and the read-only status endpoints. <see cref="Outcome"/> completes when the job ends.
/// </summary>
public sealed class CoordinatorHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<PosixSignalRegistration> signals = [];
    private readonly TaskCompletionSource<JobOutcome> outcome;

    public Task<JobOutcome> Outcome => outcome.Task;
    /// <summary>Base URL of the status endpoints, e.g. http://127.0.0.1:8080/.</summary>
    public Uri StatusUrl { get; }
    public ActorSystem System { get; }

    private CoordinatorHost(WebApplication app, TaskCompletionSource<JobOutcome> outcome, Uri statusUrl)
    {
        (this.app, this.outcome, StatusUrl) = (app, outcome, statusUrl);
        System = app.Services.GetRequiredService<ActorSystem>();
    }

    public static async Task<CoordinatorHost> StartAsync(CoordinatorHostOptions options, CancellationToken cancellationToken = default)
    {
        var settings = options.Settings;
        var outcome = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var publicHost = string.IsNullOrEmpty(settings.Remote.PublicHostname) ? Dns.GetHostName() : settings.Remote.PublicHostname;
        IReadOnlyList<SeedNode> seeds = settings.Remote.SeedNodes.Length > 0
            ? settings.Remote.SeedNodes.Select(s => SeedNode.Parse(s)).ToArray()
            : [new SeedNode(publicHost, settings.Remote.CoordinatorPort)];
        var coordinator = new CoordinatorOptions(options.WorldSize, options.CheckpointRoot, options.TrainCells, settings, o => outcome.TrySetResult(o), options.InitialCheckpoint);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(l => l >= options.LogLevel).AddFilter("Microsoft.AspNetCore", (MelLogLevel)Math.Max((int)MelLogLevel.Warning, (int)options.LogLevel));
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            var port = settings.Status.Port;
            if (settings.Status.Bind is "0.0.0.0" or "*" or "") k.ListenAnyIP(port);
            else if (IPAddress.TryParse(settings.Status.Bind, out var ip)) k.Listen(ip, port);
            else k.Listen(Dns.GetHostAddresses(settings.Status.Bind).First(), port);
        });
        builder.Services.AddAkka(settings.Remote.SystemName, (akka, services) => akka
            .ConfigureLoggers(l =>
            {
                l.LogLevel = AkkaLogLevel.Of(options.LogLevel);
                l.AddLoggerFactory(new TransportNoiseFilter(services.GetRequiredService<ILoggerFactory>()));
            })
            .WithGeneformerCluster(settings, AkkaClusterSetup.CoordinatorRole, settings.Remote.CoordinatorPort, seeds)
            .WithSingleton<CoordinatorKey>("coordinator", Coordinator.Props(coordinator),
                new ClusterSingletonOptions { Role = AkkaClusterSetup.CoordinatorRole }, createProxyToo: true));
        var app = builder.Build();
        app.MapStatusEndpoints();
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new UriBuilder(bound.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")) { Path = "/" }.Uri;
        // Should the actor system stop on its own (downed, shut down), end the job instead of serving a dead status forever.
        _ = app.Services.GetRequiredService<ActorSystem>().WhenTerminated.ContinueWith(
            _ => outcome.TrySetResult(new JobOutcome(1, "the coordinator's actor system stopped before the job ended")), TaskScheduler.Default);
        return new CoordinatorHost(app, outcome, url);
    }

    /// <summary>SIGUSR1/SIGTERM: final checkpoint, then exit 75. SIGUSR2: checkpoint now and go on. SIGINT: stop.</summary>
    public void ListenToProcessSignals()
    {
        if (OperatingSystem.IsWindows()) return;
        const int sigUsr1 = 10, sigUsr2 = 12; // Linux numbering
        signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Preempt("SIGTERM"); }));
        signals.Add(PosixSignalRegistration.Create((PosixSignal)sigUsr1, c => { c.Cancel = true; Preempt("SIGUSR1"); }));
        signals.Add(PosixSignalRegistration.Create((PosixSignal)sigUsr2, c => { c.Cancel = true; CheckpointNow("SIGUSR2"); }));
        signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; outcome.TrySetResult(new JobOutcome(130, "interrupted (SIGINT)")); }));
    }

    public void Preempt(string reason) => Tell(new Preempt(reason));

    /// <summary>The job as the status endpoint shows it (phase, generation, restarts, workers).</summary>
    public async Task<JobStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var coordinator = await app.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync(cancellationToken);
        return await coordinator.Ask<JobStatus>(GetJobStatus.Instance, TimeSpan.FromSeconds(10), cancellationToken);
    }

    public void CheckpointNow(string reason) => Tell(new CheckpointNow(reason));

    /// <summary>Tells the coordinator a launch of the ranks is starting (which arms its start-up deadline); returns the generation it is for.</summary>
    public Task<LaunchAccepted> RanksLaunchedAsync(CancellationToken cancellationToken = default) =>
        AskAsync<LaunchAccepted>(RanksLaunched.Instance, cancellationToken);

    /// <summary>Tells the coordinator every process of the launch made for <paramref name="generation"/> exited; returns its verdict.</summary>
    public Task<LaunchVerdict> LaunchEndedAsync(int generation, int exitCode, CancellationToken cancellationToken = default) =>
        AskAsync<LaunchVerdict>(new LaunchEnded(generation, exitCode), cancellationToken);

    private async Task<T> AskAsync<T>(object message, CancellationToken cancellationToken)
    {
        var coordinator = await app.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync(cancellationToken);
        return await coordinator.Ask<T>(message, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private void Tell(object message) =>
        _ = app.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync().ContinueWith(t => t.Result.Tell(message), TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        foreach (var s in signals) s.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
