using System.Collections.Concurrent;
using System.Text.Json;
using Geneformer.Distributed.Cluster;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Bench.ControlPlane;

/// <summary>
/// Many ranks of a job in one process, for measuring the control plane without torch or MPI: each joins through its
/// node's agent (the real <see cref="ClusterRank"/> and <see cref="NodeAgent"/>), registers, trains simulated steps
/// at a fixed pace, writes its checkpoint part on schedule and waits for the commit, and joins again after an abort, as
/// a relaunched rank would. Nodes are <see cref="Options.NodeSize"/> consecutive ranks (node-0001, ...); a node size of
/// 1 makes every rank a cluster member of its own. Events go to <paramref name="events"/> as JSON lines; the command
/// <c>kill</c> on <paramref name="commands"/> severs one rank of the last node that does not host its agent.
/// </summary>
public sealed class SimulatedRanks(SimulatedRanks.Options o)
{
    public sealed record Options(SeedNode Coordinator, ClusterSettings Settings, int WorldSize, int FirstRank, int Count, int NodeSize, long TrainCells,
        long MaxSteps, long CheckpointEvery, TimeSpan StepTime, string Checkpoints);

    private readonly ConcurrentDictionary<int, ClusterRank> live = new();
    private readonly Lock writing = new();

    public static string NodeOf(int rank, int nodeSize) => $"node-{rank / nodeSize:D4}";

    public int Run(TextReader commands, TextWriter events)
    {
        new Thread(() => Listen(commands, events)) { IsBackground = true, Name = "commands" }.Start();
        var ranks = Enumerable.Range(o.FirstRank, o.Count)
            .Select(r => Task.Factory.StartNew(() => RunRank(r, events), TaskCreationOptions.LongRunning))
            .ToArray();
        Task.WaitAll(ranks);
        return ranks.All(t => t.Result is 0 or SimulatedTrainingLoop.Aborted) ? 0 : 1;
    }

    private int RunRank(int rank, TextWriter events)
    {
        var job = new JobSettings(GlobalBatch: o.WorldSize, MicroBatch: 1, Seed: 1, MaxSteps: o.MaxSteps, KeepLast: 2);
        var identity = new WorkerIdentity(NodeOf(rank, o.NodeSize), rank, rank % o.NodeSize, "simulated", Environment.ProcessId);
        while (true)
        {
            var options = new ClusterRankOptions(o.Settings, [o.Coordinator], identity, job, o.TrainCells) { LogLevel = MelLogLevel.Error };
            var cluster = ClusterRank.JoinAsync(options).GetAwaiter().GetResult();
            live[rank] = cluster;
            int code;
            try
            {
                var order = cluster.AwaitStartAsync(cluster.Aborted).GetAwaiter().GetResult();
                var loop = new SimulatedTrainingLoop(cluster, order, rank, o.Checkpoints, o.CheckpointEvery, o.StepTime, flags => flags)
                {
                    OnCommitted = c => Emit(events, new { @event = "commit", rank, step = c.Step, part = c.PartWritten.ToUnixTimeMilliseconds(), committed = c.Committed.ToUnixTimeMilliseconds() }),
                };
                code = loop.Run();
            }
            catch (Exception) when (cluster.Aborted.IsCancellationRequested)
            {
                code = SimulatedTrainingLoop.Aborted;
            }
            live.TryRemove(rank, out _);
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (code != SimulatedTrainingLoop.Aborted) return code;
            Thread.Sleep(TimeSpan.FromSeconds(1)); // relaunched after the abort
        }
    }

    private void Listen(TextReader commands, TextWriter events)
    {
        while (commands.ReadLine() is { } line)
        {
            if (line.Trim() != "kill") continue;
            var lastNode = NodeOf(o.FirstRank + o.Count - 1, o.NodeSize);
            var victim = live.Where(kv => NodeOf(kv.Key, o.NodeSize) == lastNode && kv.Value.Agent is null).OrderByDescending(kv => kv.Key).FirstOrDefault();
            if (victim.Value is null)
            {
                Emit(events, new { @event = "kill-refused", reason = $"no rank of {lastNode} without its node's agent" });
                continue;
            }
            victim.Value.Sever(); // it joins again, as a relaunched rank would
            Emit(events, new { @event = "killed", rank = victim.Key, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        }
    }

    private void Emit(TextWriter events, object e)
    {
        lock (writing)
        {
            events.WriteLine(JsonSerializer.Serialize(e));
            events.Flush();
        }
    }
}
