namespace Geneformer.Distributed.Slurm;

/// <summary>
/// What one pretraining job asks Slurm for and runs: the <c>#SBATCH</c> options and the batch script's settings.
/// The defaults are the 64-GPU run of slurm/pretrain.sbatch (8 nodes x 8 tasks, one GPU per task).
/// </summary>
public sealed record JobSpec
{
    public string JobName { get; init; } = "geneformer";
    public int Nodes { get; init; } = 8;
    public int TasksPerNode { get; init; } = 8;
    /// <summary>CPU-only job: no GPUs asked for, ranks on <c>--device cpu</c>.</summary>
    public bool Cpu { get; init; }
    public int CpusPerTask { get; init; } = 12;
    /// <summary>Memory per node in Slurm's syntax; 0 = all of the node's memory.</summary>
    public string Memory { get; init; } = "0";
    public string Time { get; init; } = "48:00:00";
    /// <summary>Seconds before the time limit at which Slurm sends USR1 to the batch script (checkpoint and requeue).</summary>
    public int SignalLeadSeconds { get; init; } = 300;
    public string? Partition { get; init; }
    public string? Account { get; init; }
    /// <summary>Slurm's <c>--nodelist</c>: hosts the job must run on (compressed form allowed).</summary>
    public string? NodeList { get; init; }
    public string Output { get; init; } = "geneformer-%j.out";

    // Settings of the script (its environment variables).
    public string GeneformerBin { get; init; } = "geneformer";
    public string Config { get; init; } = "geneformer-106m";
    public string Corpus { get; init; } = "";
    public string Checkpoints { get; init; } = "";
    public string? ConfigDir { get; init; }
    public int MaxRestarts { get; init; } = 3;
    public string? ResumeFrom { get; init; }
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    /// <summary>Run the Akka.NET coordinator on the first node (the default); false: ranks over MPI alone.</summary>
    public bool Coordinator { get; init; } = true;
    /// <summary>Cluster settings of the coordinator and the ranks: a profile name or a file.</summary>
    public string ClusterConfig { get; init; } = "default";
    /// <summary>The coordinator's cluster port; null: the script's per-job default.</summary>
    public int? CoordinatorPort { get; init; }
    /// <summary>The coordinator's HTTP status port; null: the script's per-job default (see <see cref="CoordinatorPorts"/>).</summary>
    public int? StatusPort { get; init; }

    public int Ranks => Nodes * TasksPerNode;
    public string Device => Cpu ? "cpu" : "cuda";

    /// <summary>The <c>#SBATCH</c> lines, in the order slurm/pretrain.sbatch lists them.</summary>
    public IEnumerable<string> SbatchLines()
    {
        yield return $"--job-name={JobName}";
        yield return $"--nodes={Nodes}";
        yield return $"--ntasks-per-node={TasksPerNode}";
        // All of a node's GPUs to every task (no per-task binding): rank i of a node drives GPU i (see the script).
        if (!Cpu) yield return $"--gres=gpu:{TasksPerNode}";
        yield return $"--cpus-per-task={CpusPerTask}";
        yield return $"--mem={Memory}";
        yield return $"--time={Time}";
        // B: sends it to the batch shell only, which forwards it to the ranks once it has decided to requeue.
        yield return $"--signal=B:USR1@{SignalLeadSeconds}";
        yield return "--requeue";
        // A requeued job keeps its id and log file: append instead of truncating the first run's output.
        yield return "--open-mode=append";
        yield return $"--output={Output}";
        if (Partition is not null) yield return $"--partition={Partition}";
        if (Account is not null) yield return $"--account={Account}";
        if (NodeList is not null) yield return $"--nodelist={NodeList}";
    }

    /// <summary>The settings block: shell assignments the script reads.</summary>
    public IEnumerable<string> SettingLines()
    {
        yield return $"GENEFORMER_BIN={ShellQuote.Word(GeneformerBin)}";
        yield return $"CONFIG={ShellQuote.Word(Config)}";
        yield return $"CORPUS={ShellQuote.Word(Corpus)}";
        yield return $"CHECKPOINTS={ShellQuote.Word(Checkpoints)}";
        yield return $"DEVICE={Device}";
        yield return $"MAX_RESTARTS={MaxRestarts}";
        yield return "RESTART_DELAY=${RESTART_DELAY:-10}";
        yield return $"RESUME_FROM={ShellQuote.Word(ResumeFrom ?? "")}";
        yield return $"EXTRA_ARGS={ShellQuote.Word(ShellQuote.Words(ExtraArgs))}";
        yield return $"COORDINATOR={(Coordinator ? 1 : 0)}";
        yield return $"CLUSTER_CONFIG={ShellQuote.Word(ClusterConfig)}";
        yield return $"COORDINATOR_PORT={CoordinatorPort}";
        yield return $"STATUS_PORT={StatusPort}";
        if (ConfigDir is not null) yield return $"export GENEFORMER_CONFIG_DIR={ShellQuote.Word(ConfigDir)}";
    }
}
