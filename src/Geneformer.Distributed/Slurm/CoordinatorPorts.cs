namespace Geneformer.Distributed.Slurm;

/// <summary>
/// The coordinator's ports as <c>submit</c> takes them. Left unset, slurm/pretrain.sbatch picks them per job
/// (<c>COORDINATOR_PORT</c>, <c>STATUS_PORT</c>), so that jobs sharing a node differ; the script is the one place that
/// rule is written.
/// </summary>
public static class CoordinatorPorts
{
    /// <summary>A port given on the command line: 1-65535, or an error naming the option.</summary>
    public static int? Check(int? port, string option) =>
        port is null or (>= 1 and <= 65535) ? port : throw new ArgumentException($"{option} {port}: expected a TCP port from 1 to 65535");
}
