using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Evaluation.Inference;

/// <summary>Finds and loads the model a user points at: a checkpoint, a checkpoint store (its <c>latest</c>), or a bare model folder.</summary>
public static class ModelCheckpoint
{
    /// <summary>The model folder meant by <paramref name="path"/>; a checkpoint with a manifest must verify.</summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"checkpoint {path} not found");
        var dir = path;
        if (!File.Exists(Path.Combine(dir, ModelFolder.ConfigFile)))
        {
            var store = new CheckpointStore(path);
            dir = store.LatestPointer() is { } step ? store.PathOf(step)
                : throw new InvalidDataException($"{path}: neither a model folder ({ModelFolder.ConfigFile}) nor a checkpoint directory with a '{CheckpointStore.LatestFile}' pointer");
        }
        if (File.Exists(Path.Combine(dir, CheckpointLayout.ManifestFile)))
        {
            var problems = CheckpointManifest.Read(dir).Verify(dir);
            if (problems.Count > 0) throw new InvalidDataException($"{dir}: checkpoint does not verify: {string.Join("; ", problems)}");
        }
        return dir;
    }

    /// <summary>Loads the model in eval mode (no dropout) on <paramref name="device"/>.</summary>
    public static BertForMaskedLM Load(string modelDir, Device device, ComputePrecision? precision = null)
    {
        var model = ModelFolder.Load(modelDir, precision ?? ComputePrecision.DefaultFor(device), device);
        model.eval();
        return model;
    }

    /// <summary>The same architecture with Hugging Face random initialisation from <paramref name="seed"/>: the untrained baseline.</summary>
    public static BertForMaskedLM RandomlyInitialised(BertConfig config, long seed, Device device, ComputePrecision? precision = null)
    {
        manual_seed(seed);
        var model = new BertForMaskedLM(config, precision ?? ComputePrecision.DefaultFor(device));
        model.to(device);
        model.eval();
        return model;
    }
}
