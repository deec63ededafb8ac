using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Geneformer.Common;
using Geneformer.Distributed.Cluster;
using Geneformer.Model;
using Geneformer.Training;
using TorchSharp;

namespace Geneformer.Cli.Pretraining;

/// <summary>
/// <c>pretrain --local --ranks N</c>: the whole cluster on one machine. A coordinator runs in this process on
/// loopback; the ranks are <c>mpiexec.mpich -n N geneformer worker ...</c> (MPI on CPU) or N processes told their
/// rank by RANK/WORLD_SIZE/LOCAL_RANK (CUDA, NCCL: no MPI; see <see cref="RankGroup"/>). When a rank dies, the
/// coordinator aborts the others and this launcher starts the ranks again; they resume from the last committed
/// checkpoint. The coordinator's restart budget bounds the relaunches.
/// </summary>
public static class LocalLauncher
{
    public static int Run(PretrainRequest req, IEnumerable<string> trainingArgs, int ranks, int statusPort, string clusterProfile, string launchMode = "auto")
    {
        if (ranks <= 0) throw new ArgumentException($"--ranks {ranks}: expected a positive number of ranks");
        var direct = DirectLaunch(launchMode, TorchRuntime.ResolveDevice(req.Config.Device).type, ranks);
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

        var host = CoordinatorHost.StartAsync(new CoordinatorHostOptions(settings, ranks, req.Checkpoints, trainCells) { LogLevel = Microsoft.Extensions.Logging.LogLevel.Error }).GetAwaiter().GetResult();
        try
        {
            host.ListenToProcessSignals();
            Console.WriteLine($"coordinator on 127.0.0.1:{port}; status: {host.StatusUrl} (geneformer status --coordinator {host.StatusUrl})");
            var forwarded = trainingArgs.ToList();
            if (!forwarded.Contains("--cluster-config")) forwarded.AddRange(["--cluster-config", clusterProfile]); // every member runs the same timings
            var rankArgs = (string[])["worker", "--coordinator", $"127.0.0.1:{port}", .. forwarded];
            using var http = new HttpClient { BaseAddress = host.StatusUrl, Timeout = TimeSpan.FromSeconds(5) };
            for (var launch = 1; ; launch++)
            {
                var generation = JobStatus(http)?.Generation ?? 0;
                using var ranksGroup = direct ? RankGroup.StartDirect(ranks, [.. SelfCommand.Arguments(), .. rankArgs]) : RankGroup.StartMpi(ranks, [.. SelfCommand.Arguments(), .. rankArgs]);
                var exited = ranksGroup.WaitForExitAsync();
                var first = Task.WhenAny(exited, host.Outcome).GetAwaiter().GetResult();
                if (first == host.Outcome || host.Outcome.IsCompleted)
                    return Finish(host, ranksGroup);
                Console.WriteLine($"ranks exited with code {ranksGroup.ExitCode} (launch {launch})");
                // A clean end or a preemption: the coordinator's outcome follows within moments.
                if (host.Outcome.Wait(TimeSpan.FromSeconds(ranksGroup.ExitCode is 0 or TrainerExit.Preempted ? 30 : 3)))
                    return Finish(host, ranksGroup);
                // Relaunch only once the coordinator has noticed the failure and opened a new rendezvous; ranks that
                // joined the old generation would be aborted with it.
                var waitUntil = DateTime.UtcNow + TimeSpan.FromSeconds(settings.Job.HeartbeatTimeoutSeconds + 60);
                while (!host.Outcome.IsCompleted && DateTime.UtcNow < waitUntil && !(JobStatus(http) is { Phase: "rendezvous" } j && j.Generation > generation))
                    Thread.Sleep(250);
                if (host.Outcome.IsCompleted) return Finish(host, ranksGroup);
                Console.WriteLine("the coordinator restarts the job from the last committed checkpoint; relaunching the ranks");
            }
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed record JobPhase(string Phase, int Generation);

    private static JobPhase? JobStatus(HttpClient http)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(http.GetStringAsync("api/status").GetAwaiter().GetResult());
            var job = doc.RootElement.GetProperty("job");
            return new JobPhase(job.GetProperty("phase").GetString() ?? "", job.GetProperty("generation").GetInt32());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return null;
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

    private static int Finish(CoordinatorHost host, RankGroup ranks)
    {
        var outcome = host.Outcome.GetAwaiter().GetResult();
        if (!ranks.WaitForExit(TimeSpan.FromSeconds(30))) ranks.Kill();
        Console.WriteLine($"job {outcome.Reason} (exit {outcome.ExitCode})");
        return outcome.ExitCode;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
