using System.CommandLine;
using Geneformer.Distributed.Launch;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer coordinator</c>: the cluster seed, the coordinator singleton and the status endpoint; exits 0
/// (completed), 75 (preempted: requeue) or 1 (failed after the restart budget). Given a rank command after <c>--</c>,
/// it also starts the ranks and starts them again after a failure (<see cref="RelaunchLoop"/>).
/// </summary>
public static class CoordinatorCommand
{
    public static Command Create()
    {
        var worldSize = new Option<int>("--world-size") { Description = "Number of ranks that must register before training starts", Required = true };
        var checkpoints = new Option<string>("--checkpoints") { Description = "Checkpoint directory on shared storage (commits and resume)", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "Prepared corpus directory (its manifest.json gives the train split size for the data plan)", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Cluster settings: a profile in cluster-configs/cluster (default, test) or a JSON file", DefaultValueFactory = _ => ClusterSettingsLoader.DefaultProfile };
        var port = new Option<int?>("--port") { Description = "Cluster (Akka.Remote) port of the coordinator [remote.coordinator_port]" };
        var statusPort = new Option<int?>("--status-port") { Description = "HTTP status port [status.port]" };
        var bind = new Option<string?>("--bind") { Description = "Address the cluster transport and the status endpoint bind to [remote.bind, status.bind]" };
        var publicHost = new Option<string?>("--public-hostname") { Description = "Host name the ranks use to reach the coordinator [remote.public_hostname]" };
        var seeds = new Option<string[]>("--seed-nodes") { Description = "HOST:PORT seed nodes (default: the coordinator itself)", AllowMultipleArgumentsPerToken = true };
        var maxRestarts = new Option<int?>("--max-restarts") { Description = "Restarts after a failed rank before giving up [job.max_restarts]" };
        var restartDelay = new Option<double>("--restart-delay") { Description = "Seconds between a failure and starting the ranks again (with RANK_COMMAND)", DefaultValueFactory = _ => 10 };
        var rankCommand = new Argument<string[]>("RANK_COMMAND") { Description = "After --: the command that starts every rank (e.g. srun ... geneformer pretrain --coordinator HOST:PORT ...); the coordinator runs it, and runs it again after a failure while its restart budget lasts", Arity = ArgumentArity.ZeroOrMore };
        var resumeFrom = new Option<string?>("--resume-from") { Description = "A checkpoint (or checkpoint directory) to start from while --checkpoints holds no verified checkpoint (continuing another run)" };
        var command = new Command("coordinator", "Run the Akka.NET coordinator: rendezvous, data plan, checkpoint commits, failure detection and the status API")
        {
            worldSize, checkpoints, corpus, cluster, port, statusPort, bind, publicHost, seeds, maxRestarts, restartDelay, resumeFrom, rankCommand,
        };
        RenamedOption.Refuse(command, "--config", cluster);
        command.SetAction(r =>
        {
            if (r.GetValue(restartDelay) < 0) throw new ArgumentException($"--restart-delay {r.GetValue(restartDelay)}: expected 0 or more seconds");
            if (r.GetValue(worldSize) <= 0) throw new ArgumentException($"--world-size {r.GetValue(worldSize)}: expected a positive number of ranks");
            var overrides = new Dictionary<string, string?>();
            if (r.GetValue(port) is { } p) overrides["remote:coordinator_port"] = p.ToString();
            if (r.GetValue(statusPort) is { } sp) overrides["status:port"] = sp.ToString();
            if (r.GetValue(bind) is { } b) (overrides["remote:bind"], overrides["status:bind"]) = (b, b);
            if (r.GetValue(publicHost) is { } h) overrides["remote:public_hostname"] = h;
            if (r.GetValue(maxRestarts) is { } m) overrides["job:max_restarts"] = m.ToString();
            var seedList = r.GetValue(seeds) ?? [];
            for (var i = 0; i < seedList.Length; i++) overrides[$"remote:seed_nodes:{i}"] = seedList[i];
            var settings = ClusterSettingsLoader.Load(r.GetValue(cluster), overrides);
            var facts = CorpusFacts.Read(r.GetValue(corpus)!);
            Directory.CreateDirectory(r.GetValue(checkpoints)!);

            var host = CoordinatorHost.StartAsync(new CoordinatorHostOptions(settings, r.GetValue(worldSize), Path.GetFullPath(r.GetValue(checkpoints)!), facts.TrainCells)
                { InitialCheckpoint = r.GetValue(resumeFrom) is { } from ? Path.GetFullPath(from) : null })
                .GetAwaiter().GetResult();
            host.ListenToProcessSignals();
            Console.Error.WriteLine($"coordinator: waiting for {r.GetValue(worldSize)} ranks on port {settings.Remote.CoordinatorPort}; status at {host.StatusUrl}");
            try
            {
                if (r.GetValue(rankCommand) is [_, ..] ranks)
                {
                    return new RelaunchLoop(host, r.GetValue(worldSize), () => RankGroup.StartLauncher(ranks), Console.Error)
                    {
                        RestartDelay = TimeSpan.FromSeconds(r.GetValue(restartDelay)),
                    }.Run();
                }
                var outcome = host.Outcome.GetAwaiter().GetResult();
                Console.Error.WriteLine($"coordinator: {outcome.Reason} (exit {outcome.ExitCode})");
                return outcome.ExitCode;
            }
            finally
            {
                host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return command;
    }
}
