namespace Geneformer.Training;

/// <summary>
/// One step's figures, as reported to the coordinator (rank-local view except Loss, which is global). The loss is read
/// from the device only at logged steps; between them <paramref name="Loss"/> is null.
/// </summary>
public sealed record StepProgress(long Step, double? Loss, double LearningRate, double TokensPerSecond, double StepSeconds, double? ValidationLoss)
{
    public StepTimes? Times { get; init; }
    public long GlobalRealTokens { get; init; }
    /// <summary>Token slots the dense layers computed over every rank: real tokens plus padding.</summary>
    public long GlobalComputedTokens { get; init; }
    public double GlobalFlops { get; init; }
    /// <summary>This rank's own share of the step: its real tokens and FLOPs over the step's time.</summary>
    public RankThroughput? Rank { get; init; }
    /// <summary>The step <see cref="ValidationLoss"/> was measured at.</summary>
    public long? ValidationStep { get; init; }
}
