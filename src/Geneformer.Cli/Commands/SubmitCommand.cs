using System.CommandLine;
using Geneformer.Cli.Pretraining;
using Geneformer.Distributed.Launch;
using Geneformer.Distributed.Slurm;
using Geneformer.Common;
using Geneformer.Distributed.Cluster;
using Geneformer.Model;
using Geneformer.Training.Checkpoints;
using Geneformer.Training;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer submit</c>: renders slurm/pretrain.sbatch for one pretraining run (sizes, absolute paths, device,
/// this geneformer binary) and submits it with <c>sbatch --parsable</c>; prints the job id (stdout) and where the
/// coordinator's status will be (stderr).
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var d = JobSpec.Shipped;
        // The training options are pretrain's own (the device comes from --cpu; the job resumes by pretrain's rule, --resume-from seeding it).
        var o = new PretrainOptions();
        var nodes = new Option<int>("--nodes") { Description = "Nodes", DefaultValueFactory = _ => d.Nodes };
        var tasksPerNode = new Option<int>("--tasks-per-node", "--gpus-per-node") { Description = "Ranks per node (one GPU each unless --cpu)", DefaultValueFactory = _ => d.TasksPerNode };
        var cpu = new Option<bool>("--cpu") { Description = "CPU ranks (MPI backend): no GPUs asked for" };
        var cpusPerTask = new Option<int?>("--cpus-per-task") { Description = $"CPU cores per rank (default {d.CpusPerTask} with GPUs, 1 with --cpu)" };
        var mem = new Option<string>("--mem") { Description = "Memory per node (Slurm syntax, e.g. 500G); 0 = all of it", DefaultValueFactory = _ => d.Memory };
        var time = new Option<string>("--time") { Description = "Time limit per start of the job (HH:MM:SS or D-HH:MM:SS); a requeued job gets it again", DefaultValueFactory = _ => d.Time };
        var signalLead = new Option<int>("--signal-lead") { Description = "Seconds before the time limit at which the ranks checkpoint and the job requeues itself", DefaultValueFactory = _ => d.SignalLeadSeconds };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition" };
        var account = new Option<string?>("--account") { Description = "Slurm account" };
        var jobName = new Option<string?>("--job-name") { Description = "Job name (default geneformer-CONFIG)" };
        var maxRestarts = new Option<int>("--max-restarts") { Description = "Relaunches of the ranks after a failure, per start of the job", DefaultValueFactory = _ => d.MaxRestarts };
        var bin = new Option<string?>("--geneformer-bin") { Description = "The geneformer command on the nodes (default: this one)" };
        var nodeList = new Option<string?>("--nodelist") { Description = "Slurm --nodelist: hosts to run on (compressed form allowed)" };
        var noCoordinator = new Option<bool>("--no-coordinator") { Description = "Run without the Akka.NET coordinator: ranks rendezvous over MPI alone, rank 0 commits checkpoints, no status URL" };
        var coordinatorPort = new Option<int?>("--coordinator-port") { Description = "The coordinator's cluster port (default: 20000 + job id mod 10000)" };
        var statusPort = new Option<int?>("--status-port") { Description = "The coordinator's HTTP status port (default: 30000 + job id mod 10000)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the batch script; submit nothing" };
        var extra = new Argument<string[]>("PRETRAIN_ARGS") { Description = "After --: more `geneformer pretrain` arguments, passed to every rank as they are", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("submit", "Render the Slurm batch script (slurm/pretrain.sbatch) for a pretraining run and submit it with sbatch; prints the job id")
        {
            nodes, tasksPerNode, cpu, cpusPerTask, mem, time, signalLead, partition, account, jobName, maxRestarts, bin,
            nodeList, noCoordinator, coordinatorPort, statusPort, dryRun, extra,
        };
        o.AddTo(command, o.Device, o.Resume);
        RenamedOption.Refuse(command, "--resume", o.ResumeFrom);
        command.SetAction(r =>
        {
            // Every rank gets the training options given here (less those the script sets itself) and those after --.
            List<string> pretrainArgs = [.. o.Forward(r, o.Training, o.Corpus, o.Checkpoints, o.Cluster, o.ResumeFrom), .. r.GetValue(extra) ?? []];
            var configPath = Path.GetFullPath(TrainingConfigs.PathOf(r.GetValue(o.Training)!));
            var corpusDir = ExistingDirectory(r.GetValue(o.Corpus)!, "--corpus");
            var checkpointDir = Path.GetFullPath(r.GetValue(o.Checkpoints)!);
            if (checkpointDir.Any(char.IsWhiteSpace))
                throw new ArgumentException($"--checkpoints '{checkpointDir}': the job log goes there, and #SBATCH --output cannot hold a path with spaces");
            var checkpointParent = Path.GetDirectoryName(checkpointDir);
            if (!Directory.Exists(checkpointDir) && (checkpointParent is null || !Directory.Exists(checkpointParent)))
                throw new DirectoryNotFoundException($"--checkpoints {checkpointDir}: neither it nor its parent directory exists");
            var pretrain = PretrainCommand.Check([o.Training.Name, r.GetValue(o.Training)!, o.Corpus.Name, corpusDir, o.Checkpoints.Name, checkpointDir, .. pretrainArgs]);
            var isCpu = r.GetValue(cpu);
            var job = d with
            {
                JobName = r.GetValue(jobName) ?? "geneformer-" + Path.GetFileNameWithoutExtension(configPath),
                Nodes = Positive(r.GetValue(nodes), "--nodes"),
                TasksPerNode = Positive(r.GetValue(tasksPerNode), "--tasks-per-node"),
                Cpu = isCpu,
                CpusPerTask = Positive(r.GetValue(cpusPerTask) ?? (isCpu ? 1 : d.CpusPerTask), "--cpus-per-task"),
                Memory = r.GetValue(mem)!,
                Time = r.GetValue(time)!,
                SignalLeadSeconds = r.GetValue(signalLead),
                Partition = r.GetValue(partition),
                Account = r.GetValue(account),
                Output = Path.Combine(checkpointDir, "slurm-%j.out"),
                GeneformerBin = r.GetValue(bin) ?? ThisGeneformer(),
                Config = configPath,
                Corpus = corpusDir,
                Checkpoints = checkpointDir,
                ConfigDir = Path.GetFullPath(ConfigDirectory.Root()),
                MaxRestarts = r.GetValue(maxRestarts) >= 0 ? r.GetValue(maxRestarts) : throw new ArgumentException("--max-restarts must be 0 or more"),
                ResumeFrom = r.GetValue(o.ResumeFrom) is { } from ? ResumeSource(from, checkpointDir) : null,
                ExtraArgs = pretrainArgs,
                NodeList = r.GetValue(nodeList) is { } list ? CheckNodeList(list) : null,
                Coordinator = !r.GetValue(noCoordinator),
                ClusterConfig = CheckClusterConfig(r.GetValue(o.Cluster)!),
                CoordinatorPort = CoordinatorPorts.Check(r.GetValue(coordinatorPort), "--coordinator-port"),
                StatusPort = CoordinatorPorts.Check(r.GetValue(statusPort), "--status-port"),
            };
            CheckTimes(job);
            pretrain.CheckBatchGeometry(job.Ranks, "--nodes/--tasks-per-node"); // now, not after the job waited in the queue

            var script = BatchScript.Render(job);
            if (r.GetValue(dryRun))
            {
                Console.Write(script);
                return ExitCodes.Ok;
            }
            Directory.CreateDirectory(checkpointDir);
            try
            {
                var id = Sbatch.Submit(script);
                Console.WriteLine(id);
                var log = job.Output.Replace("%j", id, StringComparison.Ordinal);
                Console.Error.WriteLine($"submitted job {id}: {job.Nodes} node(s) x {job.TasksPerNode} rank(s) on {job.Device}, log {log}");
                Console.Error.WriteLine(StatusLine(job, log));
                return ExitCodes.Ok;
            }
            catch (SubmitException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.SubmitFailed;
            }
        });
        return command;
    }

    /// <summary>Where to watch the job: the file in the checkpoint directory that the job writes its status URL to once its coordinator listens.</summary>
    public static string StatusLine(JobSpec job, string log)
    {
        if (!job.Coordinator) return $"status: no coordinator (--no-coordinator); progress is in {log} and {Path.Combine(job.Checkpoints, "metrics.jsonl")}";
        var urlFile = Path.Combine(job.Checkpoints, StatusUrl.FileName);
        return $"status: geneformer status --coordinator {urlFile} once the job runs (the job writes its coordinator's URL there)";
    }

    private static string CheckNodeList(string list)
    {
        try
        {
            SlurmNodeList.Expand(list);
            return list;
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--nodelist: {e.Message}", e);
        }
    }

    /// <summary>The cluster settings as an absolute file path, loaded once to fail here rather than in the job.</summary>
    private static string CheckClusterConfig(string nameOrPath)
    {
        var file = ClusterSettingsLoader.Resolve(nameOrPath);
        ClusterSettingsLoader.Load(file);
        return file;
    }


    private static string ExistingDirectory(string path, string option) =>
        Directory.Exists(path) ? Path.GetFullPath(path) : throw new DirectoryNotFoundException($"{option} {Path.GetFullPath(path)}: no such directory");

    private static int Positive(int value, string option) => value > 0 ? value : throw new ArgumentException($"{option} must be a positive integer, not {value}");

    /// <summary>The command that runs this very geneformer: the apphost, or <c>dotnet geneformer.dll</c>.</summary>
    private static string ThisGeneformer()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where this geneformer lives; pass --geneformer-bin");
        var dll = typeof(SubmitCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && dll.Length > 0
            ? ShellQuote.Words([process, dll])
            : ShellQuote.Word(process);
    }

    /// <summary>
    /// What the job starts from while its checkpoint directory holds no checkpoint: null when DIR is that directory
    /// (the job's --resume auto finds its newest), else the newest verified checkpoint in DIR (or DIR itself).
    /// </summary>
    private static string? ResumeSource(string dir, string checkpointDir)
    {
        var full = ExistingDirectory(dir, "--resume-from").TrimEnd(Path.DirectorySeparatorChar);
        CheckpointInfo found;
        try
        {
            found = CheckpointStore.Resolve(full);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"--resume-from {e.Message}", e); // the message starts with the directory
        }
        if (found.Path == full) return full;
        Console.Error.WriteLine($"resuming from {found.Path} (step {found.Step})");
        return full == checkpointDir.TrimEnd(Path.DirectorySeparatorChar) ? null : found.Path;
    }

    private static void CheckTimes(JobSpec job)
    {
        var limit = SlurmTime.ToSeconds(job.Time);
        if (job.SignalLeadSeconds <= 0 || job.SignalLeadSeconds >= limit)
            throw new ArgumentException($"--signal-lead {job.SignalLeadSeconds} s must be positive and shorter than --time {job.Time} ({limit} s)");
    }
}
