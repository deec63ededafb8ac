using Geneformer.Data.Loading;
using Geneformer.Training;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Bench;

/// <summary>
/// How much of the computed sequence is padding over one epoch of a corpus's train split, for four ways of
/// batching its cells: padded to the corpus's maximum length (what fixed-shape batching would do); padded to the
/// longest cell of each micro batch in stream order (the training loader with length_grouping off) and with each
/// global batch's cells length-grouped (the default; the real collator and sample order either way); and
/// length-sorted windows padded to the longest of each batch (what <c>embed</c> does, <see cref="CellEmbedder"/>).
/// Fraction = padding tokens / tokens computed; saving = tokens computed at maximum length / tokens computed. Packed
/// micro batches (the trainer's default) have no padding; for them the figure is how full their token budget is.
/// </summary>
public static class PaddingBenchmark
{
    public sealed record Options(int Batch, long GlobalBatch, int EmbedWindow);

    public static IEnumerable<BenchFigure> Run(BenchCorpus corpus, Options o)
    {
        using var setup = BenchLoading.Open(corpus, o.Batch, o.GlobalBatch);
        var (maxLength, collator, order, geometry) = (setup.MaxLength, setup.Collator, setup.Order, setup.Geometry);
        var cells = setup.Data.Train;
        var lengths = new int[cells.Count];
        for (long i = 0; i < cells.Count; i++) lengths[i] = collator.TokensOf(i);
        long real = lengths.Sum(l => (long)l);

        // Training: every micro batch of the whole steps of one epoch, from the real sample order and collator.
        (long Real, long Computed, long Cells, long MicroBatches) Train(MicroBatching batching)
        {
            long trainReal = 0, trainComputed = 0, trainCells = 0, micro = 0;
            for (long step = 0; step < Math.Max(1, cells.Count / geometry.GlobalBatch); step++)
            {
                var batches = PrefetchingLoader.Build(order, collator, geometry with { WorldSize = 1, Accumulation = geometry.Accumulation * geometry.WorldSize }, 0, step, batching);
                trainReal += batches.RealTokens;
                trainComputed += batches.ComputedTokens;
                trainCells += batches.MicroBatches.Sum(m => m.Batch);
                micro += batches.MicroBatches.Count;
            }
            return (trainReal, trainComputed, trainCells, micro);
        }
        var stream = Train(new MicroBatching(LengthGrouped: false));
        var grouped = Train(new MicroBatching(LengthGrouped: true));
        var budget = o.Batch * maxLength;
        var packed = Train(new MicroBatching(LengthGrouped: true, PackedTokens: budget));

        // Embedding: windows of the input order, each sorted longest first and cut into batches.
        long embedComputed = 0;
        for (var start = 0; start < lengths.Length; start += o.EmbedWindow)
        {
            var window = lengths.AsSpan(start, Math.Min(o.EmbedWindow, lengths.Length - start)).ToArray();
            var sorted = CellEmbedder.LengthSortedOrder(window, i => window[i] > 0);
            for (var b = 0; b < sorted.Length; b += o.Batch)
                embedComputed += (long)Math.Min(o.Batch, sorted.Length - b) * window[sorted[b]]; // the first of a batch is its longest
        }

        var fixedComputed = (long)lengths.Length * maxLength;
        var sortedLengths = lengths.Order().ToArray();
        int Percentile(double p) => sortedLengths[(int)Math.Min(sortedLengths.Length - 1, Math.Floor(p * sortedLengths.Length))];
        var details = new Dictionary<string, object>
        {
            ["corpus"] = corpus.Description, ["cells"] = lengths.Length, ["max_length"] = maxLength, ["batch"] = o.Batch, ["global_batch"] = geometry.GlobalBatch,
            ["mean_length"] = (double)real / lengths.Length, ["min_length"] = sortedLengths[0], ["p10_length"] = Percentile(0.1),
            ["median_length"] = Percentile(0.5), ["p90_length"] = Percentile(0.9), ["max_cell_length"] = sortedLengths[^1],
        };
        yield return new BenchFigure("padding.max_length.fraction", 1 - (double)real / fixedComputed, "fraction", details);
        yield return new BenchFigure("padding.longest_in_micro_batch.fraction", 1 - (double)stream.Real / stream.Computed, "fraction", details);
        yield return new BenchFigure("padding.longest_in_micro_batch.saving", maxLength / ((double)stream.Computed / stream.Cells), "x",
            new Dictionary<string, object>(details) { ["note"] = "tokens computed per cell padded to max_length / per cell padded to the longest of its micro batch" });
        yield return new BenchFigure("padding.length_grouped.fraction", 1 - (double)grouped.Real / grouped.Computed, "fraction", details);
        yield return new BenchFigure("padding.length_grouped.saving", maxLength / ((double)grouped.Computed / grouped.Cells), "x",
            new Dictionary<string, object>(details) { ["note"] = "tokens computed per cell padded to max_length / per cell with each global batch's cells length-grouped into micro batches" });
        yield return new BenchFigure("padding.packed.fill", (double)packed.Real / ((double)packed.MicroBatches * budget), "fraction",
            new Dictionary<string, object>(details)
            {
                ["micro_batch_tokens"] = budget, ["packed_micro_batches"] = packed.MicroBatches, ["length_grouped_micro_batches"] = grouped.MicroBatches,
                ["note"] = "packed micro batches have no padding; this is how full their token budget is on average (fewer, fuller micro batches than length-grouped)",
            });
        yield return new BenchFigure("padding.embed_length_sorted.fraction", 1 - (double)real / embedComputed, "fraction",
            new Dictionary<string, object>(details) { ["window"] = o.EmbedWindow });
    }
}
