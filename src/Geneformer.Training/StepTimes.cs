namespace Geneformer.Training;

/// <summary>
/// Where a step's time went on this rank: waiting for the loader, forward/backward/optimizer (compute), gradient
/// all-reduce (communication), and everything else (collation hand-off, host syncs, bookkeeping).
/// </summary>
public sealed record StepTimes(double Total, double DataWait, double Compute, double Communication)
{
    public double Outside => Math.Max(0, Total - Compute - Communication);
    public double OutsideFraction => Total > 0 ? Outside / Total : 0;
}
