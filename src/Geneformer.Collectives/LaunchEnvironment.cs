namespace Geneformer.Collectives;

/// <summary>What the launcher (mpiexec, srun, torchrun) tells a process about its place in the job, read before MPI starts.</summary>
public static class LaunchEnvironment
{
    /// <summary>
    /// The rank from the launcher's variables, in order of trust: MPI's, then torchrun's, then Slurm's. SLURM_PROCID
    /// comes last: under mpiexec inside an sbatch job every rank sees SLURM_PROCID=0.
    /// </summary>
    public static int? Rank(IDictionary<string, string?>? env = null) =>
        First(env, "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "RANK", "SLURM_PROCID");

    public static int? WorldSize(IDictionary<string, string?>? env = null) =>
        First(env, "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "WORLD_SIZE", "SLURM_NTASKS");

    /// <summary>
    /// The rank's place on its node. GENEFORMER_LOCAL_RANK comes first: <c>pretrain --local --nodes N</c> lays one
    /// machine's ranks out as N nodes, where MPI's own variable counts every rank of the machine.
    /// </summary>
    public static int? LocalRank(IDictionary<string, string?>? env = null) =>
        First(env, "GENEFORMER_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "LOCAL_RANK", "SLURM_LOCALID");

    /// <summary>How many ranks the launcher started on this machine (MPICH's hydra and OpenMPI say; torchrun's LOCAL_WORLD_SIZE).</summary>
    public static int? RanksOnThisHost(IDictionary<string, string?>? env = null) =>
        First(env, "MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE", "LOCAL_WORLD_SIZE");

    /// <summary>The node this rank runs on, as shown in status: GENEFORMER_NODE (<c>pretrain --local --nodes N</c>), Slurm's node name, else the host name.</summary>
    public static string NodeName(IDictionary<string, string?>? env = null) =>
        Get(env, "GENEFORMER_NODE") is { Length: > 0 } node ? node
        : Get(env, "SLURMD_NODENAME") is { Length: > 0 } slurm ? slurm
        : System.Net.Dns.GetHostName();

    /// <summary>This process's place in the job as the launcher states it: rank 0 of 1 when nothing does.</summary>
    public static RankPlacement Placement(IDictionary<string, string?>? env = null)
    {
        var placement = new RankPlacement(Rank(env) ?? 0, WorldSize(env) ?? 1, LocalRank(env) ?? 0);
        if (placement.WorldSize < 1 || placement.Rank < 0 || placement.Rank >= placement.WorldSize || placement.LocalRank < 0)
            throw new ArgumentException($"the launcher's variables say rank {placement.Rank} of {placement.WorldSize} (local rank {placement.LocalRank}); expected 0 <= rank < world size");
        return placement;
    }

    /// <summary>True when a process manager started this process as one rank of a job (mpiexec or srun --mpi=pmi2).</summary>
    public static bool UnderMpiLauncher(IDictionary<string, string?>? env = null) =>
        new[] { "PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_RANK", "PMI_FD", "PMI_PORT" }.Any(n => Get(env, n) is not null);

    private static int? First(IDictionary<string, string?>? env, params string[] names)
    {
        foreach (var n in names)
            if (int.TryParse(Get(env, n), out var v)) return v;
        return null;
    }

    private static string? Get(IDictionary<string, string?>? env, string name) =>
        env is null ? Environment.GetEnvironmentVariable(name) : env.TryGetValue(name, out var v) ? v : null;
}
