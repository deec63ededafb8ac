using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Model.Bert;
using Geneformer.Training;
using static TorchSharp.torch;

namespace Geneformer.Evaluation.Inference;

/// <summary>
/// Scores a corpus split with fixed, seeded masking (the same cells masked the same way on every run), so two
/// checkpoints scored with the same seed see exactly the same masked tokens; batches are length-sorted
/// (<see cref="ScoringBatches"/>).
/// </summary>
public static class MlmEvaluator
{
    /// <param name="rank">with <paramref name="worldSize"/>: score only the cells i with i mod worldSize = rank (one rank's share)</param>
    public static MlmEvaluation Evaluate(BertForMaskedLM model, ITokenizedCells cells, MaskingVocabulary vocabulary, MlmMasking masking,
        ulong seed, long maxCells, int batchSize, int maxLength, Action<long, long>? progress = null, int rank = 0, int worldSize = 1)
    {
        if (batchSize < 1) throw new ArgumentException($"--batch {batchSize}: expected a positive number of cells");
        var clock = Stopwatch.StartNew();
        var device = model.parameters().First().device;
        var all = maxCells > 0 ? Math.Min(maxCells, cells.Count) : cells.Count;
        var mine = Share(all, rank, worldSize);
        var collator = new MicroBatchCollator(cells, masking, vocabulary, seed, Math.Min(maxLength, model.Config.MaxPositions));
        double loss = 0;
        long tokens = 0, masked = 0;
        model.eval();
        using (no_grad())
        {
            long scored = 0;
            foreach (var samples in ScoringBatches.Of(mine, collator.TokensOf, batchSize))
            {
                var micro = collator.Collate(samples);
                loss += MaskedLmScorer.SumCrossEntropy(model, micro, device);
                masked += micro.Labels.Length;
                tokens += micro.RealTokens;
                scored += samples.Length;
                progress?.Invoke(scored, mine.Count);
            }
        }
        return new MlmEvaluation(masked > 0 ? loss / masked : double.NaN, mine.Count, tokens, masked, clock.Elapsed.TotalSeconds);
    }

    private static List<long> Share(long count, int rank, int worldSize)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of {worldSize}");
        var mine = new List<long>();
        for (long i = rank; i < count; i += worldSize) mine.Add(i);
        return mine;
    }
}
