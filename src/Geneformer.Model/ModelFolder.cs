using Geneformer.Common.IO;
using Geneformer.Model.Bert;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>
/// A model folder in Hugging Face layout: <c>config.json</c> + <c>model.safetensors</c> with Hugging Face
/// parameter names. Every checkpoint of ours contains one, and <c>transformers</c> can load it.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    /// <summary>Writes config and weights into an existing directory (each file atomically).</summary>
    public static void WriteInto(string dir, BertForMaskedLM model)
    {
        Durable.WriteAllText(Path.Combine(dir, ConfigFile), model.Config.ToJson());
        Durable.WriteVia(Path.Combine(dir, WeightsFile), tmp => SaveWeights(model, tmp));
    }

    /// <summary>As <see cref="WriteInto(string, BertForMaskedLM)"/>, from weights copied off a model (<see cref="CopyWeights"/>).</summary>
    public static void WriteInto(string dir, BertConfig config, IReadOnlyDictionary<string, Tensor> weights)
    {
        Durable.WriteAllText(Path.Combine(dir, ConfigFile), config.ToJson());
        Durable.WriteVia(Path.Combine(dir, WeightsFile), tmp => Safetensors.SaveStateDict(tmp, weights.ToDictionary()));
    }

    /// <summary>Every parameter as an fp32 CPU tensor of its own (never sharing the live parameter's memory), by Hugging Face name.</summary>
    public static Dictionary<string, Tensor> CopyWeights(BertForMaskedLM model)
    {
        using var noGrad = no_grad();
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, p) in model.named_parameters())
            state[name] = p.detach().to(ScalarType.Float32, CPU, copy: true).contiguous();
        return state;
    }

    /// <summary>Writes a complete model folder; the folder appears only once both files are on disk.</summary>
    public static void Save(string dir, BertForMaskedLM model, bool replace = false)
    {
        using var atomic = new AtomicDirectory(dir);
        WriteInto(atomic.TempPath, model);
        atomic.Commit(replace);
    }

    public static void SaveWeights(BertForMaskedLM model, string path)
    {
        var state = CopyWeights(model);
        Safetensors.SaveStateDict(path, state);
        foreach (var t in state.Values) t.Dispose();
    }

    public static BertConfig ReadConfig(string dir)
    {
        var path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{dir}: no {ConfigFile}; not a model folder or checkpoint");
        return BertConfig.Load(path);
    }

    public static BertForMaskedLM Load(string dir, ComputePrecision? precision = null, Device? device = null)
    {
        var model = new BertForMaskedLM(ReadConfig(dir), precision);
        LoadWeights(model, Path.Combine(dir, WeightsFile));
        if (device is not null) model.to(device);
        return model;
    }

    /// <summary>Loads weights strictly: every parameter must be present with its exact shape.</summary>
    public static void LoadWeights(BertForMaskedLM model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: weights file not found");
        var state = Safetensors.LoadStateDict(path);
        try
        {
            WeightMapping.CopyInto(model, state, path);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
