using System.CommandLine;
using Geneformer.Cli.Pretraining;
using Geneformer.Distributed.Launch;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer pretrain</c>: trains on a prepared corpus. Started plainly it is one process; under
/// <c>mpiexec</c>/<c>srun</c> each process is one rank (MPI on CPU, NCCL on CUDA); with <c>--coordinator</c> the
/// ranks are members of the coordinator's cluster; with <c>--local --ranks N</c> it runs coordinator and ranks here.
/// </summary>
public static class PretrainCommand
{
    public static Command Create() => Build().Command;

    private static (Command Command, PretrainOptions Options) Build()
    {
        var o = new PretrainOptions();
        var coordinator = new Option<string?>("--coordinator") { Description = "HOST:PORT of a coordinator to join as a rank (its cluster port); 'slurm' = the first host of $SLURM_JOB_NODELIST at remote.coordinator_port" };
        var local = new Option<bool>("--local") { Description = "Run a coordinator and --ranks rank processes on this machine, relaunching ranks after a failure" };
        var launch = new Option<string>("--launch") { Description = "How --local starts the ranks: auto (direct for CUDA, mpi for CPU), mpi (mpiexec.mpich -n N), direct (one process per rank with RANK/WORLD_SIZE/LOCAL_RANK; no MPI)", DefaultValueFactory = _ => "auto" };
        var ranks = new Option<int>("--ranks") { Description = "Ranks for --local", DefaultValueFactory = _ => 2 };
        var nodes = new Option<int>("--nodes") { Description = "Lay the --local ranks out as this many nodes (node-00, node-01, ...; --ranks / --nodes ranks each, CPU ranks), as status, placement and node failures show them on a cluster", DefaultValueFactory = _ => 1 };
        var statusPort = new Option<int>("--status-port") { Description = "HTTP status port for --local (0 = any free port)", DefaultValueFactory = _ => 0 };
        var command = new Command("pretrain", "Pretrain Geneformer on a prepared corpus. Exit 0 = finished, 75 = checkpointed after SIGTERM/SIGUSR1 (requeue), 76 = aborted by the coordinator");
        o.AddTo(command);
        command.Options.Add(coordinator);
        command.Options.Add(local);
        command.Options.Add(ranks);
        command.Options.Add(nodes);
        command.Options.Add(launch);
        command.Options.Add(statusPort);
        command.SetAction(r =>
        {
            var req = o.Resolve(r);
            if (r.GetValue(local))
                return LocalLauncher.Run(req, o.Forward(r, o.ResumeFrom), r.GetValue(ranks), r.GetValue(statusPort), r.GetResult(o.Cluster) is { Implicit: false } ? r.GetValue(o.Cluster)! : "local", r.GetValue(launch)!, r.GetValue(nodes));
            if (r.GetValue(coordinator) is { } seed)
                return JoinCluster(req, seed, r.GetValue(o.Cluster)!);
            return RankRunner.RunPlain(req);
        });
        return (command, o);
    }

    /// <summary>
    /// The request a rank would resolve from these pretrain arguments: their errors (unknown options, bad values,
    /// unknown config keys, an inconsistent batch) surface where the job is made, not in every rank of it.
    /// </summary>
    public static PretrainRequest Check(IReadOnlyList<string> args)
    {
        var (command, o) = Build();
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0)
            throw new ArgumentException($"pretrain {string.Join(' ', args)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        return o.Resolve(parse);
    }

    internal static int JoinCluster(PretrainRequest req, string coordinator, string clusterProfile)
    {
        var settings = ClusterSettingsLoader.Load(clusterProfile);
        var seed = coordinator == "slurm"
            ? new SeedNode(SlurmNodeList.FirstHost() ?? throw new ArgumentException("--coordinator slurm: $SLURM_JOB_NODELIST is not set"), settings.Remote.CoordinatorPort)
            : SeedNode.Parse(coordinator, "--coordinator");
        return RankRunner.RunInCluster(req, seed, settings);
    }
}
