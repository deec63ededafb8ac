using System.CommandLine;
using Geneformer.Bench.ControlPlane;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer simulate-ranks</c> (hidden): simulated ranks of a job for <c>bench --only control-plane</c>, which
/// starts it. They join a real coordinator through real node agents and train without torch or MPI.
/// </summary>
public static class SimulateRanksCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "HOST:PORT of the coordinator's cluster port", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "The coordinator's corpus (its train split size)", Required = true };
        var checkpoints = new Option<string>("--checkpoints") { Description = "The coordinator's checkpoint directory", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Cluster settings (profile or file)", DefaultValueFactory = _ => ClusterSettingsLoader.DefaultProfile };
        var world = new Option<int>("--world-size") { Description = "Ranks in the job", Required = true };
        var first = new Option<int>("--first-rank") { Description = "First rank run here", Required = true };
        var count = new Option<int>("--count") { Description = "Ranks run here", Required = true };
        var nodeSize = new Option<int>("--node-size") { Description = "Ranks per node (1: every rank its own node and cluster member)", DefaultValueFactory = _ => 8 };
        var stepMs = new Option<int>("--step-ms") { Description = "Simulated step time", DefaultValueFactory = _ => 1000 };
        var every = new Option<long>("--checkpoint-every") { Description = "Checkpoint every N steps", DefaultValueFactory = _ => 30 };
        var maxSteps = new Option<long>("--max-steps") { Description = "Steps of the job", DefaultValueFactory = _ => 1000 };
        var command = new Command("simulate-ranks", "Run simulated ranks of a job (no torch, no MPI) against a coordinator; used by bench --only control-plane")
        {
            coordinator, corpus, checkpoints, cluster, world, first, count, nodeSize, stepMs, every, maxSteps,
        };
        command.Hidden = true;
        command.SetAction(r =>
        {
            if (r.GetValue(nodeSize) < 1 || r.GetValue(world) % r.GetValue(nodeSize) != 0)
                throw new ArgumentException($"--node-size {r.GetValue(nodeSize)}: expected a positive divisor of --world-size {r.GetValue(world)}");
            var options = new SimulatedRanks.Options(SeedNode.Parse(r.GetValue(coordinator)!, "--coordinator"), ClusterSettingsLoader.Load(r.GetValue(cluster)),
                r.GetValue(world), r.GetValue(first), r.GetValue(count), r.GetValue(nodeSize), CorpusFacts.Read(r.GetValue(corpus)!).TrainCells,
                r.GetValue(maxSteps), r.GetValue(every), TimeSpan.FromMilliseconds(r.GetValue(stepMs)), Path.GetFullPath(r.GetValue(checkpoints)!));
            return new SimulatedRanks(options).Run(Console.In, Console.Out);
        });
        return command;
    }
}
