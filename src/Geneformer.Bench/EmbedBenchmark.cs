using Geneformer.Data.Synthetic;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;
using Geneformer.Model;
using Geneformer.Evaluation.Inference;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// <c>geneformer embed</c>'s inner loop (tokenize, length-sort, forward, mean-pool) on generated cells with a
/// randomly initialised model of each preset: cells per second, end to end but without file I/O.
/// </summary>
public static class EmbedBenchmark
{
    public sealed record Options(IReadOnlyList<string> Configs, int Cells, int SeqLen, int Batch, string Device);

    private sealed class DiscardingSink : IEmbeddingSink
    {
        public void Write(EmbeddedCells cells) { }
    }

    public static IEnumerable<BenchFigure> Run(Options o)
    {
        var device = TorchRuntime.ResolveDevice(o.Device);
        // Every cell expresses more genes than the sequence holds, so each is truncated to exactly SeqLen tokens.
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 1, CellsPerDataset = o.Cells, GenesPerCell = o.SeqLen * 2, GeneCount = Math.Max(3000, o.SeqLen * 4), Seed = 7 });
        var vocab = GeneVocabulary.Build(corpus.GeneIds, TokenMode.V1);
        var medians = new GeneMedians(corpus.GeneIds.Select((g, i) => new KeyValuePair<string, double>(g, 0.5 + i % 97 / 10.0)), "benchmark");
        foreach (var name in o.Configs)
        {
            var config = ModelConfigs.Resolve(name);
            var spec = new TokenizerSpec(vocab, medians, TokenMode.V1, Math.Min(o.SeqLen, config.MaxPositions), "generated");
            using var model = ModelCheckpoint.RandomlyInitialised(config, 1, device);
            var embedder = new CellEmbedder(model, spec, new EmbeddingOptions(EmbeddingPooling.Mean, -1, o.Batch, o.Cells));
            using (var warm = corpus.Open(0)) embedder.Run(warm, new DiscardingSink()); // first-call costs (allocator, kernels) out of the figure
            using var source = corpus.Open(0);
            var summary = embedder.Run(source, new DiscardingSink());
            yield return new BenchFigure($"embed.cells_per_s", summary.CellsPerSecond, "cells/s", new Dictionary<string, object>
            {
                ["config"] = name, ["device"] = device.ToString(), ["cells"] = summary.Cells, ["seq_len"] = spec.MaxLength, ["batch"] = o.Batch,
                ["threads"] = get_num_threads(), ["hidden"] = config.HiddenSize, ["seconds"] = summary.Seconds,
            });
        }
    }
}
