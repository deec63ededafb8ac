namespace Geneformer.Training;

/// <summary>What a rank is doing, as reported to the coordinator.</summary>
public enum TrainingPhase { Joining, Loading, Training, Evaluating, Checkpointing, Stopped, Failed }

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
}

/// <summary>
/// Where a step's time went on this rank: waiting for the loader, forward/backward/optimizer (compute), gradient
/// all-reduce (communication), and everything else (collation hand-off, host syncs, bookkeeping).
/// </summary>
public sealed record StepTimes(double Total, double DataWait, double Compute, double Communication)
{
    public double Outside => Math.Max(0, Total - Compute - Communication);
    public double OutsideFraction => Total > 0 ? Outside / Total : 0;
}

/// <summary>Receives a rank's progress; the Akka worker forwards it to the coordinator. Must return quickly.</summary>
public interface ITrainingObserver
{
    void OnPhase(TrainingPhase phase);
    void OnStep(StepProgress progress);
    void OnCheckpointCommitted(long step, string path);
}

/// <summary>
/// Decides when a staged checkpoint becomes committed. The default (<see cref="LocalCommit"/>) has rank 0
/// commit after a barrier; under the Akka coordinator every rank reports its part and the coordinator commits.
/// </summary>
public interface ICheckpointCommitter
{
    /// <summary>Called on every rank after it has written its part of the staged checkpoint; returns once the checkpoint is committed (or throws).</summary>
    void PartWritten(long step, int rank);
}

public sealed class NullObserver : ITrainingObserver
{
    public static readonly NullObserver Instance = new();
    public void OnPhase(TrainingPhase phase) { }
    public void OnStep(StepProgress progress) { }
    public void OnCheckpointCommitted(long step, string path) { }
}
