using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Training;

namespace Geneformer.Bench;

/// <summary>
/// The training loader alone, as the trainer builds it: the corpus's memory-mapped Arrow shards (CorpusReader), the
/// global sample order, MLM masking and collation (MicroBatchCollator), produced a few steps ahead on a background
/// task (PrefetchingLoader), each step's cells length-grouped (the trainer's default). The consumer takes each step at once, so this is the rate one producer sustains:
/// real (non-padding) tokens and cells per second.
/// </summary>
public static class LoaderBenchmark
{
    public sealed record Options(int Batch, long GlobalBatch, double Seconds);

    public static IEnumerable<BenchFigure> Run(BenchCorpus corpus, Options o)
    {
        using var setup = BenchLoading.Open(corpus, o.Batch, o.GlobalBatch);
        var (data, maxLength, geometry) = (setup.Data, setup.MaxLength, setup.Geometry);
        using var loader = new PrefetchingLoader(setup.Order, setup.Collator, geometry, rank: 0, firstStep: 0, new MicroBatching(LengthGrouped: true));
        loader.Next(); // first-touch costs (mapping, permutation) out of the figure

        long cells = 0, tokens = 0, padded = 0, masked = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < o.Seconds)
        {
            foreach (var m in loader.Next().MicroBatches)
            {
                cells += m.Batch;
                tokens += m.RealTokens;
                padded += (long)m.Batch * m.SeqLen;
                masked += m.Labels.Length;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var details = new Dictionary<string, object>
        {
            ["corpus"] = corpus.Description, ["train_cells"] = data.Train.Count, ["batch"] = o.Batch, ["global_batch"] = geometry.GlobalBatch, ["length_grouped"] = true, ["max_length"] = maxLength, ["cells"] = cells,
            ["seconds"] = seconds, ["producer_threads"] = 1, ["mean_tokens_per_cell"] = (double)tokens / cells,
            ["masked_fraction"] = (double)masked / tokens, ["padding_fraction"] = 1 - (double)tokens / padded,
        };
        yield return new BenchFigure("loader.tokens_per_s", tokens / seconds, "tokens/s", details);
        yield return new BenchFigure("loader.cells_per_s", cells / seconds, "cells/s", details);
    }
}
