using System.Collections;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Optim;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Geneformer.Training.Checkpoints.PyTorch;

/// <summary>
/// Reads a <see cref="PyTorchTrainingState"/> folder, as <see cref="PyTorchExport"/> wrote it or as a PyTorch stack
/// saved it after training on, and commits it as a checkpoint that <c>pretrain --resume</c> continues from.
/// </summary>
public static class PyTorchImport
{
    /// <summary>
    /// Commits <paramref name="folder"/> as <c>step-N</c> in <paramref name="checkpointsRoot"/>, N being the optimizer steps
    /// it has done. Refuses when the directory already holds step N or a later one (a resume would pick that one).
    /// Returns the new checkpoint's path.
    /// </summary>
    public static string Write(string folder, string checkpointsRoot)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such PyTorch training state folder");
        var project = Path.Combine(folder, PyTorchTrainingState.ProjectFolder);
        string[] required =
        [
            ModelFolder.ConfigFile, PyTorchTrainingState.ModelFile, PyTorchTrainingState.OptimizerFile, PyTorchTrainingState.SchedulerFile,
            Path.Combine(PyTorchTrainingState.ProjectFolder, CheckpointLayout.TrainerStateFile), Path.Combine(PyTorchTrainingState.ProjectFolder, CheckpointLayout.TrainingConfigFile),
        ];
        var missing = required.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"{folder}: not a PyTorch training state written by 'checkpoints to-pytorch': {string.Join(", ", missing)} missing");

        var exported = TrainerState.Read(project);
        var config = TrainingConfig.Load(Path.Combine(project, CheckpointLayout.TrainingConfigFile));
        using var model = new BertForMaskedLM(ModelFolder.ReadConfig(folder));
        LoadWeights(model, Path.Combine(folder, PyTorchTrainingState.ModelFile));
        using var optimizer = OptimizerFactory.Create(model, config);
        var step = LoadOptimizer(optimizer, model, config, Path.Combine(folder, PyTorchTrainingState.OptimizerFile));
        var scheduled = ScheduledStep(Path.Combine(folder, PyTorchTrainingState.SchedulerFile), config);
        if (scheduled != step)
            throw new InvalidDataException($"{folder}: {PyTorchTrainingState.SchedulerFile} is at step {scheduled}, {PyTorchTrainingState.OptimizerFile} at step {step}; they must come from the same moment of training");

        // Steps taken elsewhere: the position in the data follows from the step; the losses of the last logged step are not known here.
        var state = step == exported.Step ? exported
            : exported with { Step = step, ConsumedSamples = step * exported.GlobalBatch, TrainLoss = null, ValidationLoss = null };
        var store = new CheckpointStore(checkpointsRoot);
        if (store.List(verify: false).FirstOrDefault(c => c.Step >= step) is { } later)
            throw new IOException($"{checkpointsRoot} already holds {later.Path} (step {later.Step}); a resume would pick it over the imported step {step}. Import into another checkpoint directory");

        var tokenizerDir = Path.Combine(project, CheckpointLayout.TokenizerFolder);
        var tokenizer = Directory.Exists(tokenizerDir) ? Directory.EnumerateFiles(tokenizerDir).ToDictionary(f => Path.GetFileName(f), f => f) : [];
        var staging = store.BeginStaging(step);
        try
        {
            using var snapshot = CheckpointSnapshot.Take(model, optimizer, state, config, tokenizer, rank: 0);
            snapshot.WriteInto(staging);
            return store.Commit(step);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static void LoadWeights(BertForMaskedLM model, string path)
    {
        using var scope = NewDisposeScope();
        var weights = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry e in PyTorchUnpickler.UnpickleStateDict(path))
            if (e.Value is Tensor t) weights[(string)e.Key] = t;
        WeightMapping.CopyInto(model, weights, path); // knows the tied decoder's names
    }

    /// <summary>Copies the moments and step counts into <paramref name="optimizer"/>; returns the optimizer step they are at.</summary>
    private static long LoadOptimizer(TorchSharp.Modules.AdamW optimizer, BertForMaskedLM model, TrainingConfig config, string path)
    {
        using var scope = NewDisposeScope(); // the unpickled tensors; the moments are copied into the optimizer's own
        var dict = PyTorchUnpickler.UnpickleStateDict(path);
        if (dict["state"] is not Hashtable stateTable || dict["param_groups"] is not ArrayList paramGroups)
            throw new InvalidDataException($"{path}: not an optimizer state dict (no 'state' and 'param_groups')");
        var groups = OptimizerFactory.Groups(model);
        if (paramGroups.Count != groups.Count)
            throw new InvalidDataException($"{path}: {paramGroups.Count} parameter groups; expected {groups.Count}: the decayed weights, then the biases and LayerNorm weights (Hugging Face Trainer's grouping)");
        var states = AdamWStates.Of(optimizer, model);
        var steps = new SortedSet<long>();
        using var noGrad = no_grad();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = (Hashtable)paramGroups[g]!;
            CheckHyperParameters(group, g, config, path);
            var indices = (ArrayList)group["params"]!;
            if (indices.Count != groups[g].Count)
                throw new InvalidDataException($"{path}: parameter group {g} has {indices.Count} parameters; BertForMaskedLM's has {groups[g].Count}");
            for (var j = 0; j < indices.Count; j++)
            {
                var (name, parameter) = groups[g][j];
                if (stateTable[indices[j]!] is not Hashtable entry || entry.Count == 0) { steps.Add(0); continue; } // never stepped: PyTorch keeps no state
                var target = states[name];
                foreach (var (key, moment) in new[] { ("exp_avg", target.exp_avg), ("exp_avg_sq", target.exp_avg_sq) })
                {
                    var source = entry[key] as Tensor ?? throw new InvalidDataException($"{path}: state {indices[j]} (group {g}, {name}) has no '{key}'");
                    if (!source.shape.SequenceEqual(parameter.shape))
                        throw new InvalidDataException($"{path}: state {indices[j]} (group {g}, position {j}) has shape [{string.Join(", ", source.shape)}], but the parameter there, " +
                                                       $"{name}, is [{string.Join(", ", parameter.shape)}]: the optimizer's parameters are not in BertForMaskedLM's order");
                    moment.copy_(source.to(moment.dtype));
                }
                target.step = StepOf(entry["step"], path);
                steps.Add(target.step);
            }
        }
        if (steps.Count > 1) throw new InvalidDataException($"{path}: parameters are at different step counts ({string.Join(", ", steps)})");
        return steps.Max;
    }

    private static void CheckHyperParameters(Hashtable group, int g, TrainingConfig config, string path)
    {
        var betas = group["betas"] as object[];
        (string Name, double? Theirs, double Ours)[] checks =
        [
            ("betas[0]", betas is { Length: 2 } ? Convert.ToDouble(betas[0]) : null, config.Beta1),
            ("betas[1]", betas is { Length: 2 } ? Convert.ToDouble(betas[1]) : null, config.Beta2),
            ("eps", group["eps"] is { } eps ? Convert.ToDouble(eps) : null, config.AdamEps),
            ("weight_decay", group["weight_decay"] is { } wd ? Convert.ToDouble(wd) : null, OptimizerFactory.WeightDecayOf(g, config)),
        ];
        foreach (var (name, theirs, ours) in checks)
            if (theirs is not { } t || Math.Abs(t - ours) > 1e-12 * Math.Max(1, Math.Abs(ours)))
                throw new InvalidDataException($"{path}: parameter group {g} has {name} {theirs?.ToString() ?? "missing"}; the run's training.json says {ours}");
    }

    private static long ScheduledStep(string path, TrainingConfig config)
    {
        var dict = PyTorchUnpickler.UnpickleStateDict(path);
        if (dict["last_epoch"] is not { } lastEpoch) throw new InvalidDataException($"{path}: not a learning-rate scheduler's state dict (no 'last_epoch')");
        if (dict["base_lrs"] is ArrayList baseLrs && baseLrs.Cast<object>().Any(lr => Math.Abs(Convert.ToDouble(lr) - config.LearningRate) > 1e-12 * config.LearningRate))
            throw new InvalidDataException($"{path}: base learning rates [{string.Join(", ", baseLrs.Cast<object>())}]; the run's training.json says lr {config.LearningRate}");
        return Convert.ToInt64(lastEpoch);
    }

    /// <summary>PyTorch keeps a step count as a tensor (float since 1.12, int before) or a plain number.</summary>
    private static long StepOf(object? value, string path) => value switch
    {
        Tensor t => (long)Math.Round(t.to(ScalarType.Float64).item<double>()),
        int or long or double => (long)Math.Round(Convert.ToDouble(value)),
        _ => throw new InvalidDataException($"{path}: a parameter's state has no step count"),
    };
}
