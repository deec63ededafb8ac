using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// A node's member of the cluster, one per node and job, as torchrun has one agent per node: it holds a
/// <see cref="WorkerActor"/> for each rank process of the node, and the ranks talk to it over the node-local socket
/// (<see cref="NodeAgentAddress"/>). So the cluster has a member per node (8 for 64 GPUs), not per rank, and a rank
/// process's death is seen at once, when its connection closes, rather than from missed heartbeats. The first rank
/// process of the node to bind the address hosts the agent (<see cref="TryStartAsync"/>); its threads are the
/// cluster's own, apart from training.
/// </summary>
public sealed partial class NodeAgent : IAsyncDisposable
{
    private readonly IHost host;
    private readonly Socket listener;
    private readonly NodeAgentOptions options;
    private readonly IActorRef coordinator;
    private readonly ILogger log;
    private readonly List<RankLinkConnection> connections = [];
    private readonly TaskCompletionSource noRanksLeft = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int serial;
    private bool stopping;

    public ActorSystem System { get; }
    public NodeAgentAddress Address => options.Address;

    private NodeAgent(IHost host, Socket listener, NodeAgentOptions options, ActorSystem system, IActorRef coordinator)
    {
        (this.host, this.listener, this.options, System, this.coordinator) = (host, listener, options, system, coordinator);
        log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("geneformer.agent");
        // A stopped member (downed, or shut down) can pass nothing on: its ranks must know at once.
        system.WhenTerminated.ContinueWith(_ => CloseAll(), TaskScheduler.Default);
        new Thread(Accept) { IsBackground = true, Name = "agent accept" }.Start();
    }

    /// <summary>Hosts this node's agent, or returns null when another process of the node already does.</summary>
    public static async Task<NodeAgent?> TryStartAsync(NodeAgentOptions options, CancellationToken cancellationToken = default)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(options.Address.EndPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
        try
        {
            listener.Listen(1024);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(l => l >= options.LogLevel);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = MelLogLevel.Trace);
            builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
            builder.Services.AddAkka(options.Settings.Remote.SystemName, (akka, services) => akka
                .ConfigureLoggers(l =>
                {
                    l.LogLevel = AkkaLogLevel.Of(options.LogLevel);
                    l.AddLoggerFactory(new TransportNoiseFilter(services.GetRequiredService<ILoggerFactory>()));
                })
                .WithGeneformerCluster(options.Settings, AkkaClusterSetup.WorkerRole, options.Port, options.Seeds)
                .WithSingletonProxy<CoordinatorKey>("coordinator", new ClusterSingletonOptions { Role = AkkaClusterSetup.CoordinatorRole }));
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var coordinator = await host.Services.GetRequiredService<IRequiredActor<CoordinatorKey>>().GetAsync(cancellationToken);
            return new NodeAgent(host, listener, options, system, coordinator);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private void Accept()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (PeerUid(socket) is { } uid && uid != geteuid())
            {
                log.LogWarning("refused a connection to {Address} from another user (uid {Uid})", options.Address, uid);
                socket.Dispose();
                continue;
            }
            new Thread(() => Serve(socket)) { IsBackground = true, Name = "rank link" }.Start();
        }
    }

    /// <summary>One rank's connection: its registration, then its messages to its worker actor until it closes.</summary>
    private void Serve(Socket socket)
    {
        var connection = new RankLinkConnection(socket);
        lock (connections)
        {
            if (stopping)
            {
                connection.Dispose();
                return;
            }
            connections.Add(connection);
        }
        IActorRef? worker = null;
        try
        {
            if (connection.Receive() is not RankLink.Register register) return;
            var rank = register.Registration.Identity.Rank;
            worker = System.ActorOf(WorkerActor.Props(register.Registration with { AgentPid = Environment.ProcessId }, coordinator, new ConnectionRankLink(connection), options.Settings),
                $"rank-{rank}-{Interlocked.Increment(ref serial)}");
            while (connection.Receive() is { } message)
            {
                object? forWorker = message switch
                {
                    RankLink.PhaseReport p => new WorkerActor.PhaseChanged(p.Phase, p.Error, p.Permanent),
                    RankLink.StepReport s => new WorkerActor.StepDone(s.Step, s.Loss, s.TokensPerSecond, s.MemoryBytes, s.Figures, s.Validation),
                    RankLink.CommitSeen c => new WorkerActor.LocalCommitSeen(c.Step),
                    RankLink.PartReady p => new WorkerActor.SendPart(p.Step, p.Rank),
                    RankLink.Heartbeat => WorkerActor.RankAlive.Instance,
                    _ => null,
                };
                if (forWorker is not null) worker.Tell(forWorker);
            }
        }
        catch (Exception e) when (e is InvalidDataException or global::System.Text.Json.JsonException)
        {
            log.LogWarning("closed a rank's connection to {Address}: {Error}", options.Address, e.Message);
        }
        finally
        {
            worker?.Tell(WorkerActor.RankGone.Instance);
            connection.Dispose();
            lock (connections)
            {
                connections.Remove(connection);
                if (connections.Count == 0 && stopping) noRanksLeft.TrySetResult();
            }
        }
    }

    private void CloseAll()
    {
        lock (connections)
        {
            stopping = true;
            foreach (var c in connections) c.Dispose();
            if (connections.Count == 0) noRanksLeft.TrySetResult();
        }
        listener.Dispose();
    }

    /// <summary>
    /// Stops hosting once the node's other ranks have left (each closes its connection when it ends), or after
    /// <paramref name="patience"/>: then leaves the cluster.
    /// </summary>
    public async Task StopAsync(TimeSpan patience)
    {
        listener.Dispose(); // no new ranks
        lock (connections)
        {
            stopping = true;
            if (connections.Count == 0) noRanksLeft.TrySetResult();
        }
        await Task.WhenAny(noRanksLeft.Task, Task.Delay(patience));
        CloseAll();
        await host.StopAsync();
        host.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(options.Settings.Job.HeartbeatTimeoutSeconds));

    [LibraryImport("libc.so.6")]
    private static partial uint geteuid();

    /// <summary>The user id of the process at the other end (SO_PEERCRED), or null where the system does not say.</summary>
    private static uint? PeerUid(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return null;
        Span<byte> credentials = stackalloc byte[12]; // struct ucred: pid, uid, gid
        const int solSocket = 1, soPeerCred = 17;
        return socket.GetRawSocketOption(solSocket, soPeerCred, credentials) == 12 ? BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]) : null;
    }
}
