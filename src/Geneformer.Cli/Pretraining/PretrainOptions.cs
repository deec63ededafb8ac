using System.CommandLine;
using Geneformer.Cli.Commands;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Distributed.Launch;

namespace Geneformer.Cli.Pretraining;

/// <summary>The options shared by <c>pretrain</c> and <c>worker</c>, and how they resolve into a <see cref="PretrainRequest"/>.</summary>
public sealed class PretrainOptions
{
    /// <summary><c>--config</c> is the spelling the command was published with; both are accepted.</summary>
    public readonly Option<string> Training = new("--training") { Description = "Training preset (cluster-configs/training/NAME.json: tiny, geneformer-10m, geneformer-106m) or a training config file", Required = true };
    public readonly Option<string> Corpus = new("--corpus") { Description = "Prepared corpus directory (geneformer prepare)", Required = true };
    public readonly Option<string> Checkpoints = new("--checkpoints") { Description = "Checkpoint directory on storage every rank sees", Required = true };
    public readonly Option<string?> Model = new("--model") { Description = "Override the preset's model (preset name or config.json)" };
    public readonly Option<long?> MaxSteps = new("--max-steps") { Description = "Optimizer steps in the whole run (the LR schedule spans them)" };
    public readonly Option<long?> CheckpointEvery = new("--checkpoint-every") { Description = "Commit a checkpoint every N steps" };
    public readonly Option<long?> EvalEvery = new("--eval-every") { Description = "Validation loss every N steps" };
    public readonly Option<long?> GlobalBatch = new("--global-batch") { Description = "Cells per optimizer step over all ranks (= micro batch x accumulation x world size)" };
    public readonly Option<int?> MicroBatch = new("--micro-batch") { Description = "Cells per forward/backward on one rank" };
    public readonly Option<double?> Lr = new("--lr") { Description = "Peak learning rate" };
    public readonly Option<long?> Seed = new("--seed") { Description = "Seed for initialisation, data order, masking and dropout" };
    public readonly Option<string?> Device = new("--device") { Description = "cpu, cuda, cuda:N or auto (under a launcher, cuda means cuda:LOCAL_RANK)" };
    public readonly Option<int?> Threads = new("--threads") { Description = "Torch intra-op threads per rank (0 = libtorch default)" };
    public readonly Option<string> Resume = new("--resume") { Description = "auto (the newest checkpoint in --checkpoints that verifies, else --resume-from's, else start) or none (start; refuse a non-empty --checkpoints)", DefaultValueFactory = _ => "auto" };
    public readonly Option<string?> ResumeFrom = new("--resume-from") { Description = "Another run's checkpoint (or its checkpoint directory: the newest that verifies) to start from while --checkpoints holds no verified checkpoint; the optimizer, schedule and data position continue" };
    public readonly Option<string?> Metrics = new("--metrics") { Description = "Metrics JSONL file (default: CHECKPOINTS/metrics.jsonl)" };
    public readonly Option<long?> StopAfter = new("--stop-after-step") { Description = "Checkpoint and exit (code 75) after this many steps without changing the LR schedule" };
    public readonly Option<string?> InitFrom = new("--init-from") { Description = "Start a fresh run from this model folder's weights (a checkpoint, or a Hugging Face model after geneformer import) with a fresh optimizer and schedule; its config.json is the model. The corpus must use the model's vocabulary" };
    public readonly Option<string?> DumpBatches = new("--dump-batches") { Description = "Write the starting weights and every step's micro batches (input ids, cell lengths, masked positions, labels) as .npy under this directory, to replay the run in another trainer (tools/parity/reference_trainer.py)" };
    public readonly Option<string[]> Set = new("--set") { Description = "Override any training config key, as in the JSON file: --set KEY=VALUE, repeatable (e.g. --set length_grouping=false --set warmup_steps=50); applied after the preset, before the options above" };
    public readonly Option<string> Cluster = new("--cluster") { Description = "Cluster settings: a profile in cluster-configs/cluster (default; local is the default of --local; test) or a JSON file", DefaultValueFactory = _ => "default" };

    public IEnumerable<Option> All => [Training, Corpus, Checkpoints, Model, MaxSteps, CheckpointEvery, EvalEvery, GlobalBatch, MicroBatch, Lr, Seed, Device, Threads, Set, Resume, ResumeFrom, Metrics, StopAfter, InitFrom, DumpBatches, Cluster];

    /// <summary>Adds the training options to <paramref name="command"/>, and refuses their old spellings.</summary>
    public void AddTo(Command command, params Option[] except)
    {
        foreach (var option in All.Except(except)) command.Options.Add(option);
        RenamedOption.Refuse(command, "--config", Training);
        RenamedOption.Refuse(command, "--cluster-config", Cluster);
    }

    /// <summary>The training arguments as given (less <paramref name="except"/>), to pass on to rank processes.</summary>
    public IEnumerable<string> Forward(ParseResult r, params Option[] except)
    {
        foreach (var o in All.Except(except))
        {
            var result = r.GetResult(o);
            if (result is null || result.Implicit) continue;
            foreach (var token in result.Tokens) { yield return o.Name; yield return token.Value; }
        }
    }

    public PretrainRequest Resolve(ParseResult r)
    {
        var c = TrainingConfigs.Resolve(r.GetValue(Training)!).WithOverrides(r.GetValue(Set) ?? []);
        var init = r.GetValue(InitFrom) is { } from ? InitialModel(from, r.GetValue(Model)) : null;
        c = c with
        {
            Model = init is not null ? Path.Combine(init, ModelFolder.ConfigFile) : r.GetValue(Model) ?? c.Model,
            MaxSteps = r.GetValue(MaxSteps) ?? c.MaxSteps,
            CheckpointEvery = r.GetValue(CheckpointEvery) ?? c.CheckpointEvery,
            EvalEvery = r.GetValue(EvalEvery) ?? c.EvalEvery,
            GlobalBatch = r.GetValue(GlobalBatch) ?? c.GlobalBatch,
            MicroBatch = r.GetValue(MicroBatch) ?? c.MicroBatch,
            LearningRate = r.GetValue(Lr) ?? c.LearningRate,
            Seed = r.GetValue(Seed) ?? c.Seed,
            Device = r.GetValue(Device) ?? c.Device,
            Threads = r.GetValue(Threads) ?? c.Threads,
        };
        c.Validate("command line");
        var checkpoints = Path.GetFullPath(r.GetValue(Checkpoints)!);
        return new PretrainRequest(c, ModelConfigs.Resolve(c.Model), Path.GetFullPath(r.GetValue(Corpus)!), checkpoints,
            r.GetValue(Resume)!, r.GetValue(Metrics) ?? Path.Combine(checkpoints, "metrics.jsonl"), r.GetValue(StopAfter))
        {
            DumpBatches = r.GetValue(DumpBatches) is { } dump ? Path.GetFullPath(dump) : null,
            ResumeFrom = r.GetValue(ResumeFrom) is { } seed ? Path.GetFullPath(seed) : null,
            InitFrom = init,
        };
    }

    /// <summary>The full path of an <c>--init-from</c> model folder, checked: config and weights present, and no other <c>--model</c>.</summary>
    private static string InitialModel(string folder, string? model)
    {
        var dir = Path.GetFullPath(folder);
        foreach (var file in (string[])[ModelFolder.ConfigFile, ModelFolder.WeightsFile])
            if (!File.Exists(Path.Combine(dir, file)))
                throw new FileNotFoundException($"--init-from {folder}: no {file} (expected a model folder: a checkpoint, or the output of geneformer import)", Path.Combine(dir, file));
        if (model is not null)
            throw new ArgumentException($"--init-from {folder} and --model {model}: the model is the folder's own config.json; leave --model out");
        return dir;
    }
}
