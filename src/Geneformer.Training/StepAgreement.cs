using Geneformer.Training.Parallel;

namespace Geneformer.Training;

/// <summary>
/// What the ranks agree on before each step, summed over ranks in one all-reduce: the step's token and FLOP counts
/// (the loss divides by the whole global batch's masked tokens; the metrics count every rank's work), and what must
/// take effect on the same step everywhere: stop and checkpoint requests, which reach ranks at different moments, and
/// how many ranks have written their part of the background checkpoint (when all have, its commit can start).
/// </summary>
public sealed record StepAgreement(double MaskedTokens, double RealTokens, double ComputedTokens, double Flops, int StopRequests, int CheckpointRequests, int PartsWritten)
{
    /// <summary>Every rank's contribution summed; every rank calls this at the same step.</summary>
    public StepAgreement SumOver(ICollectives collectives)
    {
        var sums = new[] { MaskedTokens, RealTokens, ComputedTokens, Flops, StopRequests, CheckpointRequests, PartsWritten };
        collectives.AllReduceSum(sums);
        return new(sums[0], sums[1], sums[2], sums[3], (int)sums[4], (int)sums[5], (int)sums[6]);
    }
}
