using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Training.Evaluation;

/// <summary>Held-out masked-LM loss: mean cross-entropy per masked token, with the cells and tokens it covers.</summary>
public sealed record MlmEvaluation(double Loss, long Cells, long Tokens, long MaskedTokens, double Seconds)
{
    public double Perplexity => Math.Exp(Loss);
}

/// <summary>
/// Scores a corpus split with fixed, seeded masking (the same cells masked the same way on every run), so two
/// checkpoints scored with the same seed see exactly the same masked tokens; batches are length-sorted
/// (<see cref="ScoringBatches"/>).
/// </summary>
public static class MlmEvaluator
{
    public static MlmEvaluation Evaluate(BertForMaskedLM model, ITokenizedCells cells, MaskingVocabulary vocabulary, MlmMasking masking,
        ulong seed, long maxCells, int batchSize, int maxLength, Action<long, long>? progress = null)
    {
        if (batchSize < 1) throw new ArgumentException($"--batch {batchSize}: expected a positive number of cells");
        var clock = Stopwatch.StartNew();
        var device = model.parameters().First().device;
        var count = maxCells > 0 ? Math.Min(maxCells, cells.Count) : cells.Count;
        var collator = new MicroBatchCollator(cells, masking, vocabulary, seed, Math.Min(maxLength, model.Config.MaxPositions));
        double loss = 0;
        long tokens = 0, masked = 0;
        model.eval();
        using (no_grad())
        {
            long scored = 0;
            foreach (var samples in ScoringBatches.Of(LongRange(0, count), collator.TokensOf, batchSize))
            {
                var micro = collator.Collate(samples);
                loss += MaskedLmScorer.SumCrossEntropy(model, micro, device);
                masked += micro.Labels.Length;
                tokens += micro.RealTokens;
                scored += samples.Length;
                progress?.Invoke(scored, count);
            }
        }
        return new MlmEvaluation(masked > 0 ? loss / masked : double.NaN, count, tokens, masked, clock.Elapsed.TotalSeconds);
    }

    private static IEnumerable<long> LongRange(long from, long count)
    {
        for (var i = from; i < from + count; i++) yield return i;
    }
}
