using System.CommandLine;
using Geneformer.Cli.Pretraining;
using Geneformer.Distributed.Launch;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer worker</c>: one training rank as a member of a coordinator's cluster (what <c>pretrain --local</c> and the Slurm script start).</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var o = new PretrainOptions();
        var coordinator = new Option<string>("--coordinator") { Description = "HOST:PORT of the coordinator's cluster port, or 'slurm' (first host of $SLURM_JOB_NODELIST)", Required = true };
        var command = new Command("worker", "Run one training rank as an Akka.NET cluster worker: join, register, train on the coordinator's order, report status. Exit 0, 75 (preempted) or 76 (aborted)");
        o.AddTo(command);
        command.Options.Add(coordinator);
        command.SetAction(r => PretrainCommand.JoinCluster(o.Resolve(r), r.GetValue(coordinator)!, r.GetValue(o.Cluster)!));
        return command;
    }
}
