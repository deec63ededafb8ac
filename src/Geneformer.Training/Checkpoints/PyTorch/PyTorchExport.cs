using System.Collections;
using System.Collections.Specialized;
using Geneformer.Common.IO;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Optim;
using static TorchSharp.torch;

namespace Geneformer.Training.Checkpoints.PyTorch;

/// <summary>Writes a verified checkpoint as a <see cref="PyTorchTrainingState"/> folder.</summary>
public static class PyTorchExport
{
    /// <summary>
    /// Writes <paramref name="checkpoint"/> (a checkpoint, or a checkpoint directory's newest verified one) to
    /// <paramref name="output"/>, which must not exist; the folder appears only when complete. Returns the step.
    /// </summary>
    public static long Write(string checkpoint, string output)
    {
        if (Directory.Exists(output) || File.Exists(output)) throw new IOException($"{output} already exists; choose a new folder for the PyTorch training state");
        var dir = CheckpointStore.Resolve(checkpoint).Path;
        var state = TrainerState.Read(dir);
        var config = TrainingConfig.Load(Path.Combine(dir, CheckpointLayout.TrainingConfigFile));
        using var model = ModelFolder.Load(dir);
        using var optimizer = OptimizerFactory.Create(model, config);
        optimizer.load_state_dict(Path.Combine(dir, CheckpointLayout.OptimizerFile));

        using var atomic = new AtomicDirectory(output);
        using (var scope = NewDisposeScope())
        {
            TorchSave.Write(Path.Combine(atomic.TempPath, PyTorchTrainingState.ModelFile), ModelStateDict(model));
            TorchSave.Write(Path.Combine(atomic.TempPath, PyTorchTrainingState.OptimizerFile), OptimizerStateDict(model, optimizer, config, state.Step));
        }
        TorchSave.Write(Path.Combine(atomic.TempPath, PyTorchTrainingState.SchedulerFile), SchedulerStateDict(config, state.Step));
        File.Copy(Path.Combine(dir, ModelFolder.ConfigFile), Path.Combine(atomic.TempPath, ModelFolder.ConfigFile));
        var project = Directory.CreateDirectory(Path.Combine(atomic.TempPath, PyTorchTrainingState.ProjectFolder)).FullName;
        File.Copy(Path.Combine(dir, CheckpointLayout.TrainerStateFile), Path.Combine(project, CheckpointLayout.TrainerStateFile));
        File.Copy(Path.Combine(dir, CheckpointLayout.TrainingConfigFile), Path.Combine(project, CheckpointLayout.TrainingConfigFile));
        var tokenizer = Directory.CreateDirectory(Path.Combine(project, CheckpointLayout.TokenizerFolder)).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dir, CheckpointLayout.TokenizerFolder)))
            File.Copy(file, Path.Combine(tokenizer, Path.GetFileName(file)));
        atomic.Commit();
        return state.Step;
    }

    /// <summary>Every parameter by its Hugging Face name, then the tied decoder's names for the same tensors.</summary>
    private static OrderedDictionary ModelStateDict(BertForMaskedLM model)
    {
        var dict = new OrderedDictionary();
        foreach (var (name, p) in model.named_parameters()) dict[name] = p.detach();
        foreach (var (alias, parameter) in PyTorchTrainingState.TiedNames) dict[alias] = dict[parameter];
        return dict;
    }

    private static OrderedDictionary OptimizerStateDict(BertForMaskedLM model, TorchSharp.Modules.AdamW optimizer, TrainingConfig config, long step)
    {
        var states = AdamWStates.Of(optimizer, model);
        var groups = OptimizerFactory.Groups(model);
        var lr = LrSchedule.From(config).At(step);
        var stateDict = new OrderedDictionary();
        var paramGroups = new ArrayList();
        var index = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var indices = new ArrayList();
            foreach (var (name, _) in groups[g])
            {
                var s = states[name];
                stateDict.Add(index, new OrderedDictionary
                {
                    ["step"] = tensor((float)s.step),
                    ["exp_avg"] = s.exp_avg.detach(),
                    ["exp_avg_sq"] = s.exp_avg_sq.detach(),
                });
                indices.Add(index++);
            }
            paramGroups.Add(new OrderedDictionary
            {
                ["lr"] = lr, ["betas"] = new object[] { config.Beta1, config.Beta2 }, ["eps"] = config.AdamEps,
                ["weight_decay"] = OptimizerFactory.WeightDecayOf(g, config), ["amsgrad"] = false, ["foreach"] = null,
                ["maximize"] = false, ["capturable"] = false, ["differentiable"] = false, ["fused"] = null,
                ["initial_lr"] = config.LearningRate, ["params"] = indices,
            });
        }
        return new OrderedDictionary { ["state"] = stateDict, ["param_groups"] = paramGroups };
    }

    /// <summary>LambdaLR's state after <paramref name="step"/> steps; its lambda is the documented schedule (docs/fidelity.md).</summary>
    private static OrderedDictionary SchedulerStateDict(TrainingConfig config, long step)
    {
        var lr = LrSchedule.From(config).At(step);
        return new OrderedDictionary
        {
            ["base_lrs"] = new ArrayList { config.LearningRate, config.LearningRate }, ["last_epoch"] = step, ["verbose"] = false,
            ["_step_count"] = step + 1, ["_get_lr_called_within_step"] = false, ["_last_lr"] = new ArrayList { lr, lr },
            ["lr_lambdas"] = new ArrayList { null, null },
        };
    }
}
