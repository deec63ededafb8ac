using Geneformer.Common.IO;
using Geneformer.Model;
using Geneformer.TestSupport;
using Geneformer.Evaluation.Inference;
using TorchSharp;

namespace Geneformer.Integration.Tests;

/// <summary>A randomly initialised tiny model folder, used with Geneformer's own gc30M (v1) or gc95M (v2) dictionaries on real CELLxGENE counts.</summary>
public sealed class RandomTinyModelFixture : IDisposable
{
    private readonly TempDir dir = new();

    public string Model { get; }

    public RandomTinyModelFixture()
    {
        Model = dir["tiny-random"];
        var config = BertConfig.Load(Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json"));
        using var model = ModelCheckpoint.RandomlyInitialised(config, seed: 11, torch.CPU);
        ModelFolder.Save(Model, model);
    }

    public string NewDir(string name)
    {
        var path = dir[$"{name}-{Guid.NewGuid():N}"];
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Tokenizer options for a model folder without tokenizer/: Geneformer's V1 (gc30M) or V2 (gc95M) dictionaries.</summary>
    public static string[] Dictionaries(string mode) => mode == "v1"
        ? ["--vocab", SharedData.File("geneformer-dicts", "gc30M", "token_dictionary_gc30M.tsv"), "--medians", SharedData.File("geneformer-dicts", "gc30M", "gene_median_dictionary_gc30M.tsv"), "--token-mode", "v1"]
        : ["--vocab", SharedData.File("geneformer-dicts", "gc95M", "token_dictionary_gc95M.tsv"), "--medians", SharedData.File("geneformer-dicts", "gc95M", "gene_median_dictionary_gc95M.tsv"), "--token-mode", "v2"];

    public void Dispose() => dir.Dispose();
}
