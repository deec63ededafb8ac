namespace Geneformer.Data.Loading;

/// <summary>
/// One micro batch, collated for the model: token ids padded to the longest cell of the batch (not to the
/// model's maximum), the attention mask, and the masked positions (flat indices into Batch x SeqLen) with
/// their original tokens as labels. Packed (<see cref="Packed"/>), the ids are the cells end to end with no
/// padding and no mask, and the masked positions index into them.
/// </summary>
public sealed record MicroBatch(int Batch, int SeqLen, long[] InputIds, bool[] AttentionMask, long[] MaskedPositions, long[] Labels, long[] Cells)
{
    /// <summary>Real (non-padding) tokens.</summary>
    public long RealTokens { get; init; }

    /// <summary>Real length of each cell, for exact FLOP counting.</summary>
    public int[] Lengths { get; init; } = [];

    /// <summary>Whether some cell is shorter than the batch's length: only then does attention need the padding mask.</summary>
    public bool Padded => !Packed && RealTokens < (long)Batch * SeqLen;

    /// <summary>The cells lie end to end in <see cref="InputIds"/> (<see cref="RealTokens"/> ids, in <see cref="Lengths"/>), <see cref="SeqLen"/> is the longest.</summary>
    public bool Packed { get; init; }

    /// <summary>Index of this micro batch among all micro batches of its step, over every rank (<see cref="StepSamples.ChunkOf"/>).</summary>
    public long Chunk { get; init; }
}
