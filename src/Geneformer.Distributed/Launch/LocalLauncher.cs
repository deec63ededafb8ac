using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Geneformer.Common;
using Geneformer.Distributed.Cluster;
using Geneformer.Model;
using Geneformer.Training;
using TorchSharp;

namespace Geneformer.Distributed.Launch;

/// <summary>
/// <c>pretrain --local --ranks N</c>: the whole cluster on one machine. A coordinator runs in this process on
/// loopback; the ranks are <c>mpiexec.mpich -n N geneformer worker ...</c> (MPI on CPU) or N processes told their
/// rank by RANK/WORLD_SIZE/LOCAL_RANK (CUDA, NCCL: no MPI; see <see cref="RankGroup"/>). When a rank dies, the
/// coordinator aborts the others and <see cref="RelaunchLoop"/> starts the ranks again within its restart budget; they
/// resume from the last committed checkpoint.
/// </summary>
public static class LocalLauncher
{
    public static int Run(PretrainRequest req, IEnumerable<string> trainingArgs, int ranks, int statusPort, string clusterProfile, string launchMode = "auto", int nodes = 1)
    {
        if (ranks <= 0) throw new ArgumentException($"--ranks {ranks}: expected a positive number of ranks");
        if (nodes <= 0 || ranks % nodes != 0) throw new ArgumentException($"--nodes {nodes}: expected a positive divisor of --ranks {ranks} (ranks per node x nodes = ranks)");
        req.CheckBatchGeometry(ranks, "--ranks");
        var device = TorchRuntime.ResolveDevice(req.Config.Device).type;
        if (nodes > 1 && device == DeviceType.CUDA)
            throw new ArgumentException($"--nodes {nodes} with CUDA ranks: one machine's GPUs form one node (each rank drives GPU LOCAL_RANK); --nodes lays out CPU ranks");
        var direct = DirectLaunch(launchMode, device, ranks);
        var port = FreePort();
        var settings = ClusterSettingsLoader.Load(clusterProfile, new Dictionary<string, string?>
        {
            ["remote:bind"] = "127.0.0.1", ["remote:public_hostname"] = "127.0.0.1", ["remote:coordinator_port"] = port.ToString(),
            ["status:bind"] = "127.0.0.1", ["status:port"] = (statusPort == 0 ? FreePort() : statusPort).ToString(),
        });
        Directory.CreateDirectory(req.Checkpoints);
        var (data, reader) = CorpusTrainingData.Open(req.Corpus);
        var trainCells = data.Train.Count;
        reader.Dispose();

        var host = CoordinatorHost.StartAsync(new CoordinatorHostOptions(settings, ranks, req.Checkpoints, trainCells)
        {
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Error, InitialCheckpoint = req.ResumeFrom,
        }).GetAwaiter().GetResult();
        try
        {
            host.ListenToProcessSignals();
            Console.WriteLine($"coordinator on 127.0.0.1:{port}; status: {host.StatusUrl} (geneformer status --coordinator {host.StatusUrl})");
            var forwarded = trainingArgs.ToList();
            if (!forwarded.Contains("--cluster")) forwarded.AddRange(["--cluster", clusterProfile]); // every member runs the same timings
            var rankArgs = (string[])["worker", "--coordinator", $"127.0.0.1:{port}", .. forwarded];
            string[] command = [.. SelfCommand.Arguments(), .. rankArgs];
            RankConsole.TellRanks();
            return new RelaunchLoop(host, ranks, () => direct ? RankGroup.StartDirect(ranks, command) : RankGroup.StartMpi(ranks, command, nodes), Console.Out).Run();
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>--launch: auto is direct for CUDA ranks (NCCL needs no MPI) and MPI for CPU ranks, which need it beyond one rank.</summary>
    public static bool DirectLaunch(string launch, DeviceType device, int ranks) => launch switch
    {
        "mpi" => false,
        "direct" when device != DeviceType.CUDA && ranks > 1 => throw new ArgumentException($"--launch direct with {ranks} CPU ranks: CPU ranks all-reduce over MPI; use --launch mpi (or auto), or --ranks 1"),
        "direct" => true,
        "auto" => device == DeviceType.CUDA,
        _ => throw new ArgumentException($"--launch {launch}: expected auto, mpi or direct"),
    };

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
