namespace Geneformer.Distributed.Slurm;

/// <summary>
/// What one pretraining job asks Slurm for and runs: the <c>#SBATCH</c> options and the batch script's settings.
/// <see cref="Shipped"/> reads the defaults from slurm/pretrain.sbatch itself (its <c>#SBATCH</c> lines, the 64-GPU run,
/// and its settings' <c>:=</c> defaults), so the script is their one source.
/// </summary>
public sealed partial record JobSpec
{
    public required string JobName { get; init; }
    public required int Nodes { get; init; }
    public required int TasksPerNode { get; init; }
    /// <summary>CPU-only job: no GPUs asked for, ranks on <c>--device cpu</c>.</summary>
    public bool Cpu { get; init; }
    public required int CpusPerTask { get; init; }
    /// <summary>Memory per node in Slurm's syntax; 0 = all of the node's memory.</summary>
    public required string Memory { get; init; }
    public required string Time { get; init; }
    /// <summary>Seconds before the time limit at which Slurm sends USR1 to the batch script (checkpoint and requeue).</summary>
    public required int SignalLeadSeconds { get; init; }
    public string? Partition { get; init; }
    public string? Account { get; init; }
    /// <summary>Slurm's <c>--nodelist</c>: hosts the job must run on (compressed form allowed).</summary>
    public string? NodeList { get; init; }
    public required string Output { get; init; }

    // Settings of the script (its environment variables).
    public required string GeneformerBin { get; init; }
    public required string Config { get; init; }
    public string Corpus { get; init; } = "";
    public string Checkpoints { get; init; } = "";
    public string? ConfigDir { get; init; }
    public required int MaxRestarts { get; init; }
    /// <summary>Seconds between a failure and the relaunch; the rendered script keeps it overridable from the environment.</summary>
    public required string RestartDelay { get; init; }
    public string? ResumeFrom { get; init; }
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    /// <summary>Run the Akka.NET coordinator on the first node (the default); false: ranks over MPI alone.</summary>
    public bool Coordinator { get; init; } = true;
    /// <summary>Cluster settings of the coordinator and the ranks: a profile name or a file.</summary>
    public required string ClusterConfig { get; init; }
    /// <summary>The coordinator's cluster port; null: its per-job default (see <see cref="CoordinatorPorts"/>).</summary>
    public int? CoordinatorPort { get; init; }
    /// <summary>The coordinator's HTTP status port; null: its per-job default (see <see cref="CoordinatorPorts"/>).</summary>
    public int? StatusPort { get; init; }

    /// <summary>The job slurm/pretrain.sbatch describes as shipped.</summary>
    public static JobSpec Shipped => FromScript(BatchScript.Template());

    /// <summary>The defaults a batch script states: its <c>#SBATCH --key=value</c> lines and its <c>: "${NAME:=value}"</c> settings.</summary>
    public static JobSpec FromScript(string script)
    {
        var sbatch = BatchScript.SbatchOptions(script).Select(o => o.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        var settings = script.ReplaceLineEndings("\n").Split('\n').Select(l => SettingDefault().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        string Sbatch(string key) => sbatch.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"the batch script has no '#SBATCH {key}=' line");
        string Setting(string name) => settings.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"the batch script's settings give {name} no default (': \"${{{name}:=...}}\"')");
        int Number(string what, string text) => int.TryParse(text, out var n) ? n : throw new InvalidDataException($"the batch script's {what} is '{text}'; expected a whole number");
        var signal = Sbatch("--signal");
        return new JobSpec
        {
            JobName = Sbatch("--job-name"),
            Nodes = Number("--nodes", Sbatch("--nodes")),
            TasksPerNode = Number("--ntasks-per-node", Sbatch("--ntasks-per-node")),
            CpusPerTask = Number("--cpus-per-task", Sbatch("--cpus-per-task")),
            Memory = Sbatch("--mem"),
            Time = Sbatch("--time"),
            SignalLeadSeconds = Number("--signal lead", signal[(signal.IndexOf('@') + 1)..]),
            Output = Sbatch("--output"),
            GeneformerBin = Setting("GENEFORMER_BIN"),
            Config = Setting("CONFIG"),
            MaxRestarts = Number("MAX_RESTARTS", Setting("MAX_RESTARTS")),
            RestartDelay = Setting("RESTART_DELAY"),
            ClusterConfig = Setting("CLUSTER_CONFIG"),
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^: ""\$\{(\w+):=([^}]*)\}""")]
    private static partial System.Text.RegularExpressions.Regex SettingDefault();

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
        yield return $"RESTART_DELAY=${{RESTART_DELAY:-{RestartDelay}}}";
        yield return $"RESUME_FROM={ShellQuote.Word(ResumeFrom ?? "")}";
        yield return $"EXTRA_ARGS={ShellQuote.Word(ShellQuote.Words(ExtraArgs))}";
        yield return $"COORDINATOR={(Coordinator ? 1 : 0)}";
        yield return $"CLUSTER_CONFIG={ShellQuote.Word(ClusterConfig)}";
        yield return $"COORDINATOR_PORT={CoordinatorPort}";
        yield return $"STATUS_PORT={StatusPort}";
        if (ConfigDir is not null) yield return $"export GENEFORMER_CONFIG_DIR={ShellQuote.Word(ConfigDir)}";
    }
}
