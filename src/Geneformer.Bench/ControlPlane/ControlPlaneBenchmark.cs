using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Geneformer.Distributed.Cluster;
using Geneformer.Distributed.Status;

namespace Geneformer.Bench.ControlPlane;

/// <summary>
/// The control plane at 64 to 1,024 ranks on one machine: the real coordinator (<c>geneformer coordinator</c>, its own
/// process) and simulated ranks (<see cref="SimulatedRanks"/>, many to a process: real node agents and rank links,
/// no torch, no MPI). For each world size: the rendezvous (launch to start order, and to every rank training), the
/// reports the coordinator handles a second and its CPU and memory meanwhile, the agents' CPU per cluster member, the
/// commit of a checkpoint with one part per rank, the time to see a dead rank (its process gone: its connection closes)
/// and a dead node (its agent and ranks gone: the reports stop), and the rendezvous after the restart. A node size of 1
/// gives every rank a cluster member of its own, as against one agent per node.
/// </summary>
public static class ControlPlaneBenchmark
{
    /// <param name="Self">how to run this program (coordinator and simulated ranks are its commands)</param>
    public sealed record Options(string[] Self, int[] Sizes, int[] NodeSizes, string Corpus, string ClusterProfile, double StepSeconds, double? ReportIntervalSeconds,
        double WindowSeconds, int RanksPerProcess = 128);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static IEnumerable<BenchFigure> Run(Options o)
    {
        foreach (var nodeSize in o.NodeSizes)
            foreach (var ranks in o.Sizes)
                if (ranks % nodeSize != 0 || ranks < 2 * nodeSize)
                    throw new ArgumentException($"--control-plane-ranks {ranks}: expected a multiple of the node size {nodeSize}, at least two nodes");
        foreach (var nodeSize in o.NodeSizes)
            foreach (var ranks in o.Sizes)
            {
                var figures = new List<BenchFigure>();
                using (var run = new Measurement(o, ranks, nodeSize))
                {
                    try
                    {
                        run.Measure(figures);
                    }
                    catch (InvalidOperationException e)
                    {
                        // A size this machine cannot simulate is a result too: say where and why it stopped.
                        figures.Add(new BenchFigure("control-plane.incomplete", ranks, "ranks",
                            new Dictionary<string, object> { ["ranks"] = ranks, ["node_size"] = nodeSize, ["reason"] = e.Message }));
                    }
                }
                foreach (var f in figures) yield return f;
            }
    }

    private sealed class Measurement(Options o, int ranks, int nodeSize) : IDisposable
    {
        private readonly string root = Directory.CreateTempSubdirectory("geneformer-bench-control-plane-").FullName;
        private readonly List<Process> processes = [];
        private readonly ConcurrentQueue<JsonElement> events = new();
        private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
        private readonly ClusterSettings settings = ClusterSettingsLoader.Load(o.ClusterProfile);
        private Process coordinator = null!;
        private int statusPort, coordinatorPort;
        private long checkpointEvery;

        private int Nodes => ranks / nodeSize;
        private double ReportInterval => o.ReportIntervalSeconds ?? settings.Status.ReportIntervalSeconds;

        public void Measure(List<BenchFigure> figures)
        {
            var details = new Dictionary<string, object>
            {
                ["ranks"] = ranks, ["node_size"] = nodeSize, ["members"] = Nodes + 1, ["cluster"] = o.ClusterProfile, ["report_interval_s"] = ReportInterval,
                ["step_s"] = o.StepSeconds, ["machine_cores"] = Environment.ProcessorCount,
            };
            BenchFigure Figure(string name, double value, string unit, params (string, object)[] more)
            {
                var d = new Dictionary<string, object>(details);
                foreach (var (k, v) in more) d[k] = v;
                return new BenchFigure($"control-plane.{name}", Math.Round(value, 4), unit, d);
            }

            var checkpointEvery = Math.Max(5, (long)Math.Ceiling((o.WindowSeconds + 10) / o.StepSeconds));
            var port = FreePort();
            statusPort = FreePort();
            coordinator = Start(["coordinator", "--world-size", ranks.ToString(), "--checkpoints", Checkpoints, "--corpus", o.Corpus, "--cluster", o.ClusterProfile,
                "--port", port.ToString(), "--status-port", statusPort.ToString(), "--bind", "127.0.0.1", "--public-hostname", "127.0.0.1", "--max-restarts", "10"], stdin: false);
            WaitFor(s => true, "the coordinator's status endpoint");

            coordinatorPort = port;
            this.checkpointEvery = checkpointEvery;
            var launched = Stopwatch.StartNew();
            var last = (Process?)null;
            foreach (var (first, count) in Groups()) last = StartRanks(first, count);
            WaitFor(s => s.Job.Phase == "running", $"the rendezvous of {ranks} ranks");
            var rendezvous = launched.Elapsed.TotalSeconds;
            figures.Add(Figure("rendezvous_s", rendezvous, "s"));
            WaitFor(s => s.Job.Phase == "running" && s.Workers.Length == ranks && s.Workers.All(w => w.Step >= 1), $"all {ranks} ranks to train");
            figures.Add(Figure("all_training_s", launched.Elapsed.TotalSeconds, "s"));

            // Steady state: reports handled a second, and what the coordinator and the agents spend on them.
            var sims = processes.Where(p => p != coordinator).ToList();
            var (reports0, cpu0, agents0, clock) = (Status().Job.ReportsReceived, ProcessUsage.CpuSeconds(coordinator.Id), sims.Sum(p => ProcessUsage.CpuSeconds(p.Id)), Stopwatch.StartNew());
            Thread.Sleep(TimeSpan.FromSeconds(o.WindowSeconds));
            var (reports1, cpu1, agents1, window) = (Status().Job.ReportsReceived, ProcessUsage.CpuSeconds(coordinator.Id), sims.Sum(p => ProcessUsage.CpuSeconds(p.Id)), clock.Elapsed.TotalSeconds);
            figures.Add(Figure("reports_per_s", (reports1 - reports0) / window, "reports/s", ("offered_per_s", Math.Round(ranks / ReportInterval, 1)), ("window_s", Math.Round(window, 1))));
            figures.Add(Figure("coordinator_cpu_percent", 100 * (cpu1 - cpu0) / window, "%"));
            figures.Add(Figure("coordinator_open_files", ProcessUsage.OpenFiles(coordinator.Id), "fds", ("what", "file descriptors: sockets to members, status endpoint, files")));
            figures.Add(Figure("member_cpu_percent", 100 * (agents1 - agents0) / window / Nodes, "%", ("what", "CPU of the simulated rank processes a second, per node agent")));

            // A checkpoint with one part per rank.
            var commits = WaitForEvents(e => e.GetProperty("event").GetString() == "commit" && e.GetProperty("step").GetInt64() == checkpointEvery, ranks, $"the commit of step {checkpointEvery}");
            var lastPart = commits.Max(e => e.GetProperty("part").GetInt64());
            var lastCommit = commits.Max(e => e.GetProperty("committed").GetInt64());
            figures.Add(Figure("commit_latency_s", (lastCommit - lastPart) / 1000.0, "s", ("parts", ranks), ("what", "from the last rank's part written to the last rank told of the commit")));

            // A dead rank: its process's connection to its node's agent closes.
            if (nodeSize > 1)
            {
                last!.StandardInput.WriteLine("kill");
                last.StandardInput.Flush();
                var killed = WaitForEvents(e => e.GetProperty("event").GetString() == "killed", 1, "a simulated rank to be killed")[0];
                var at = DateTimeOffset.FromUnixTimeMilliseconds(killed.GetProperty("at").GetInt64());
                WaitFor(s => s.Job.Generation >= 2, "the coordinator to act on the dead rank");
                figures.Add(Figure("detect_dead_rank_s", (DateTimeOffset.UtcNow - at).TotalSeconds, "s", ("how", "its connection to the node agent closed")));
                WaitForTraining(2, "the ranks to train again after the dead rank");
            }

            // A dead node: its agent and all its ranks stop at once (the last process holds the last node alone).
            var generation = Status().Job.Generation;
            var node = Stopwatch.StartNew();
            var lastGroup = Groups().Last();
            last!.Kill(entireProcessTree: true);
            WaitFor(s => s.Job.Generation > generation, "the coordinator to act on the dead node");
            figures.Add(Figure("detect_dead_node_s", node.Elapsed.TotalSeconds, "s", ("how", "its ranks' reports stopped"), ("heartbeat_timeout_s", settings.Job.HeartbeatTimeoutSeconds)));
            // The node's ranks start again (as the relaunch loop would start them); the others rejoin by themselves.
            var restarted = Stopwatch.StartNew();
            StartRanks(lastGroup.First, lastGroup.Count);
            WaitForTraining(generation + 1, "every rank to train again after the dead node");
            figures.Add(Figure("restart_rendezvous_s", restarted.Elapsed.TotalSeconds, "s", ("what", "from the failure seen to every rank training again")));
            figures.Add(Figure("coordinator_peak_rss_mb", ProcessUsage.PeakResidentBytes(coordinator.Id) / 1048576.0, "MiB"));
        }

        private string Checkpoints => Path.Combine(root, "checkpoints");

        private Process StartRanks(int first, int count) =>
            Start(["simulate-ranks", "--coordinator", $"127.0.0.1:{coordinatorPort}", "--corpus", o.Corpus, "--cluster", o.ClusterProfile, "--world-size", ranks.ToString(),
                "--first-rank", first.ToString(), "--count", count.ToString(), "--node-size", nodeSize.ToString(), "--step-ms", ((int)(o.StepSeconds * 1000)).ToString(),
                "--checkpoint-every", checkpointEvery.ToString(), "--max-steps", (20 * checkpointEvery).ToString(), "--checkpoints", Checkpoints], stdin: true);

        private void WaitForTraining(int generation, string what) =>
            WaitFor(s => s.Job.Generation >= generation && s.Job.Phase == "running" && s.Workers.Length == ranks && s.Workers.All(w => w.Step > (s.Job.LastCommittedStep ?? 0)), what);

        /// <summary>Ranks in processes of whole nodes, at most <see cref="Options.RanksPerProcess"/> each; the last node alone in the last process.</summary>
        private IEnumerable<(int First, int Count)> Groups()
        {
            var perProcess = Math.Max(nodeSize, o.RanksPerProcess / nodeSize * nodeSize);
            var lastNode = ranks - nodeSize;
            for (var first = 0; first < lastNode; first += perProcess) yield return (first, Math.Min(perProcess, lastNode - first));
            yield return (lastNode, nodeSize);
        }

        private Process Start(string[] args, bool stdin)
        {
            var psi = new ProcessStartInfo(o.Self[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin };
            foreach (var a in (string[])[.. o.Self[1..], .. args]) psi.ArgumentList.Add(a);
            if (o.ReportIntervalSeconds is { } interval) psi.Environment[$"{ClusterSettingsLoader.EnvironmentPrefix}status__report_interval_s"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = Process.Start(psi) ?? throw new InvalidOperationException($"{args[0]} did not start");
            processes.Add(p);
            p.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line && line[0] == '{') events.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
            };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        private StatusDocument Status() =>
            StatusDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{statusPort}/api/status").GetAwaiter().GetResult(), "/api/status");

        private StatusDocument WaitFor(Func<StatusDocument, bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                if (coordinator.HasExited) throw new InvalidOperationException($"the coordinator exited ({coordinator.ExitCode}) while waiting for {what}");
                try
                {
                    var s = Status();
                    if (condition(s)) return s;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                Thread.Sleep(50);
            }
            throw new InvalidOperationException($"control-plane stage, {ranks} ranks, node size {nodeSize}: waited {Patience.TotalMinutes} min for {what}");
        }

        private List<JsonElement> WaitForEvents(Func<JsonElement, bool> match, int count, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                var found = events.Where(match).ToList();
                if (found.Count >= count) return found;
                Thread.Sleep(50);
            }
            throw new InvalidOperationException($"control-plane stage, {ranks} ranks, node size {nodeSize}: waited {Patience.TotalMinutes} min for {what}");
        }

        private static int FreePort()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            foreach (var p in processes)
            {
                try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(10_000);
                p.Dispose();
            }
            http.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }
}
