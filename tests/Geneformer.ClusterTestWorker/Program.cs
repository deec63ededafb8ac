using Geneformer.Bench.ControlPlane;
using Geneformer.ClusterTestWorker;
using Geneformer.Distributed.Cluster;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

// Usage: --seed HOST:PORT ... (a cluster rank), or mpi-abandon-probe stopped-peer|peer-in-collective abandon|finalize (see MpiAbandonProbe)
// Cluster rank usage: --seed HOST:PORT --rank R --checkpoints DIR [--train-cells N --max-steps N --checkpoint-every N --step-ms N --global-batch N --micro-batch N]
if (args is ["mpi-abandon-probe", var scenario, var how]) return MpiAbandonProbe.Run(scenario, finalize: how == "finalize");

var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Get(string name, string fallback) => options.GetValueOrDefault(name, fallback);

var rank = int.Parse(Get("rank", "0"));
var settings = ClusterSettingsLoader.Load("test");
var job = new JobSettings(long.Parse(Get("global-batch", "8")), int.Parse(Get("micro-batch", "2")), 7, long.Parse(Get("max-steps", "1000")), 3);
var identity = new WorkerIdentity(Environment.MachineName, rank, rank, "cpu", Environment.ProcessId);
var clusterOptions = new ClusterRankOptions(settings, [SeedNode.Parse(Get("seed", ""))], identity, job, long.Parse(Get("train-cells", "64")))
{
    ExitProcessOnAbort = SimulatedTrainingLoop.Aborted,
    LogLevel = MelLogLevel.Warning,
};
await using var cluster = await ClusterRank.JoinAsync(clusterOptions);
var order = await cluster.AwaitStartAsync(cluster.Aborted);
Console.WriteLine($"started generation {order.Generation} at step {order.ResumeStep}");
var loop = new SimulatedTrainingLoop(cluster, order, rank, Get("checkpoints", ""), long.Parse(Get("checkpoint-every", "5")),
    TimeSpan.FromMilliseconds(int.Parse(Get("step-ms", "100"))), flags => flags);
return loop.Run();
