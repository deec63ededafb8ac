using System.Net;
using System.Net.Sockets;
using Geneformer.Bench.ControlPlane;
using Geneformer.ClusterTestWorker;
using Geneformer.Distributed.Cluster;
using Geneformer.Distributed.Status;
using Geneformer.TestSupport;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>A real coordinator (cluster seed, singleton, HTTP status) on loopback with the fast test timings, and ranks joined in-process.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly JobSettings Job = new(GlobalBatch: 8, MicroBatch: 2, Seed: 7, MaxSteps: 1000, KeepLast: 3);
    public const long TrainCells = 64;

    private readonly List<ClusterRank> ranks = [];
    public required CoordinatorHost Coordinator { get; init; }
    public required ClusterSettings Settings { get; init; }
    public required SeedNode Seed { get; init; }
    public required string Checkpoints { get; init; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static ClusterSettings TestSettings(int coordinatorPort, IDictionary<string, string?>? overrides = null)
    {
        var all = new Dictionary<string, string?> { ["remote:coordinator_port"] = coordinatorPort.ToString() };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) all[k] = v;
        return ClusterSettingsLoader.Load("test", all);
    }

    public static async Task<TestCluster> StartAsync(int worldSize, string checkpoints, IDictionary<string, string?>? overrides = null)
    {
        var port = FreePort();
        var settings = TestSettings(port, overrides);
        var host = await CoordinatorHost.StartAsync(new CoordinatorHostOptions(settings, worldSize, checkpoints, TrainCells) { LogLevel = Environment.GetEnvironmentVariable("GENEFORMER_TEST_LOG") == "1" ? MelLogLevel.Debug : MelLogLevel.Warning });
        return new TestCluster { Coordinator = host, Settings = settings, Seed = new SeedNode("127.0.0.1", port), Checkpoints = checkpoints };
    }

    /// <summary>Joins rank <paramref name="rank"/> on <paramref name="node"/> (default: two ranks a node); the node's first rank hosts its agent.</summary>
    public async Task<ClusterRank> JoinAsync(int rank, string? ncclId = null, long trainCells = TrainCells, JobSettings? job = null, ClusterSettings? settings = null, string? node = null)
    {
        var options = new ClusterRankOptions(settings ?? Settings, [Seed], new WorkerIdentity(node ?? $"node-{rank / 2}", rank, rank % 2, "cpu", Environment.ProcessId), job ?? Job, trainCells)
        {
            NcclUniqueId = ncclId,
            LogLevel = Environment.GetEnvironmentVariable("GENEFORMER_TEST_LOG") == "1" ? MelLogLevel.Debug : MelLogLevel.Warning,
        };
        var joined = await ClusterRank.JoinAsync(options);
        ranks.Add(joined);
        return joined;
    }

    /// <summary>Runs the fake training loop of each rank on its own thread, with an in-process all-reduce between them.</summary>
    /// <summary>Simulated training on every rank; <paramref name="slowRank"/> computes <paramref name="slowStepMs"/> a step instead (a straggler), and rank 0 reports a validation loss every <paramref name="validationEvery"/> steps.</summary>
    public static Task<int>[] Train(IReadOnlyList<ClusterRank> ranks, IReadOnlyList<StartOrder> orders, string checkpoints, long checkpointEvery, int stepMs,
        int? slowRank = null, int slowStepMs = 0, long validationEvery = 0)
    {
        var reduce = new InProcessAllReduce(ranks.Count);
        return ranks.Select((r, i) => Task.Factory.StartNew(() =>
            new SimulatedTrainingLoop(r, orders[i], i, checkpoints, checkpointEvery, TimeSpan.FromMilliseconds(i == slowRank ? slowStepMs : stepMs), f => reduce.Sum(i, f, r.Aborted))
            {
                ValidationEvery = validationEvery,
            }.Run(),
            TaskCreationOptions.LongRunning)).ToArray();
    }

    public async Task<StatusDocument> StatusAsync() =>
        StatusDocument.Parse(await Http.GetStringAsync(new Uri(Coordinator.StatusUrl, "api/status")), "/api/status");

    public async Task<StatusDocument> WaitForStatusAsync(Func<StatusDocument, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        StatusDocument status;
        do
        {
            status = await StatusAsync();
            if (condition(status)) return status;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"waited {timeout.TotalSeconds}s for {what}; last status: {status.ToJson()}");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = ranks.Count - 1; i >= 0; i--) await ranks[i].DisposeAsync();
        await Coordinator.DisposeAsync();
        Http.Dispose();
    }
}
