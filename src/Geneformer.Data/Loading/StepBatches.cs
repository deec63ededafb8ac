namespace Geneformer.Data.Loading;

/// <summary>The micro batches one rank computes for one optimizer step, and the masked-token count of the whole global batch on this rank.</summary>
public sealed record StepBatches(long Step, IReadOnlyList<MicroBatch> MicroBatches)
{
    public long MaskedTokens => MicroBatches.Sum(m => (long)m.Labels.Length);
    public long RealTokens => MicroBatches.Sum(m => m.RealTokens);

    /// <summary>Token slots the model's dense layers compute: the real tokens when packed, every padded slot otherwise.</summary>
    public long ComputedTokens => MicroBatches.Sum(m => m.Packed ? m.RealTokens : (long)m.Batch * m.SeqLen);
}
