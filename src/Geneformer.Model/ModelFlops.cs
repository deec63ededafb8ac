namespace Geneformer.Model;

/// <summary>
/// Exact matrix-multiply FLOPs of this architecture per token (a multiply-add counts 2). Elementwise
/// work (LayerNorm, softmax, activations) is left out, as in the usual MFU accounting.
/// </summary>
public static class ModelFlops
{
    /// <summary>Forward FLOPs for one token of a sequence of <paramref name="seqLen"/> real tokens, with the
    /// MLM head run on a fraction <paramref name="mlmFraction"/> of tokens (0.15 in training, 0 for embedding).</summary>
    public static double ForwardPerToken(BertConfig c, int seqLen, double mlmFraction)
    {
        double h = c.HiddenSize, f = c.IntermediateSize;
        double projections = 2 * (4 * h * h);          // Q, K, V, attention output
        double attention = 2 * (2 * seqLen * h);       // QK^T and attention x V, over all heads
        double ffn = 2 * (2 * h * f);
        double encoder = c.NumLayers * (projections + attention + ffn);
        double head = mlmFraction * 2 * (h * h + h * c.VocabSize);
        return encoder + head;
    }

    /// <summary>Training FLOPs per token: forward + backward (twice the forward).</summary>
    public static double TrainingPerToken(BertConfig c, int seqLen, double mlmFraction) => 3 * ForwardPerToken(c, seqLen, mlmFraction);

    /// <summary>Training FLOPs of one micro batch whose cells have the given real lengths.</summary>
    public static double TrainingPerBatch(BertConfig c, IEnumerable<int> cellLengths, double mlmFraction) =>
        cellLengths.Sum(len => len * TrainingPerToken(c, len, mlmFraction));
}
