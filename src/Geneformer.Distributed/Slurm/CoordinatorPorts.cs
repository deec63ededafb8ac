namespace Geneformer.Distributed.Slurm;

/// <summary>
/// The coordinator's ports under slurm/pretrain.sbatch: per job, so that jobs sharing a node differ. The script computes
/// the same defaults (<c>COORDINATOR_PORT</c>, <c>STATUS_PORT</c>); the Slurm integration tests check that both agree.
/// </summary>
public static class CoordinatorPorts
{
    public static int Cluster(long jobId, int? chosen = null) => chosen ?? 20000 + (int)(jobId % 10000);

    public static int Status(long jobId, int? chosen = null) => chosen ?? 30000 + (int)(jobId % 10000);

    /// <summary>A port given on the command line: 1-65535, or an error naming the option.</summary>
    public static int? Check(int? port, string option) =>
        port is null or (>= 1 and <= 65535) ? port : throw new ArgumentException($"{option} {port}: expected a TCP port from 1 to 65535");
}
