namespace Geneformer.Evaluation.Inference;

/// <summary>Held-out masked-LM loss: mean cross-entropy per masked token, with the cells and tokens it covers.</summary>
public sealed record MlmEvaluation(double Loss, long Cells, long Tokens, long MaskedTokens, double Seconds)
{
    public double Perplexity => Math.Exp(Loss);

    /// <summary>What an evaluation sums over its cells (loss x masked tokens, masked tokens, tokens, cells), to add up ranks' shares.</summary>
    public double[] Sums() => [MaskedTokens > 0 ? Loss * MaskedTokens : 0, MaskedTokens, Tokens, Cells];

    /// <summary>The evaluation of the cells whose <see cref="Sums"/> were added into <paramref name="sums"/>.</summary>
    public static MlmEvaluation FromSums(double[] sums, double seconds) =>
        new(sums[1] > 0 ? sums[0] / sums[1] : double.NaN, (long)sums[3], (long)sums[2], (long)sums[1], seconds);
}
