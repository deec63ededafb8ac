using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>The trainer's observer under the coordinator: each call is one message to the rank's worker actor in the node agent.</summary>
internal sealed class RankLinkObserver(RankLinkConnection connection, Func<long?>? memory) : ITrainingObserver
{
    private long? lastMemory;
    private DateTimeOffset memoryRead;

    public void OnPhase(TrainingPhase phase) => connection.Send(new RankLink.PhaseReport(phase, null, false));

    public void OnStep(StepProgress progress) => connection.Send(new RankLink.StepReport(progress.Step, progress.Loss, progress.TokensPerSecond, Memory()));

    public void OnCheckpointCommitted(long step, string path) => connection.Send(new RankLink.CommitSeen(step));

    /// <summary>Memory in use, read at most once a second (the status shows it; steps can be much faster).</summary>
    private long? Memory()
    {
        if (memory is null || DateTimeOffset.UtcNow - memoryRead < TimeSpan.FromSeconds(1)) return lastMemory;
        memoryRead = DateTimeOffset.UtcNow;
        return lastMemory = memory();
    }
}
