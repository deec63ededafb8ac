using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>The trainer's observer under the coordinator: each call is one message to the rank's worker actor in the node agent.</summary>
internal sealed class RankLinkObserver(RankLinkConnection connection, Func<long?>? memory) : ITrainingObserver
{
    private long? lastMemory;
    private DateTimeOffset memoryRead;

    public void OnPhase(TrainingPhase phase) => connection.Send(new RankLink.PhaseReport(phase, null, false));

    /// <summary>Each figure is the median of the rank's last steps: one slow step does not make a straggler.</summary>
    private const int FigureSteps = 9;
    private readonly RecentMedian stepSeconds = new(FigureSteps), computeSeconds = new(FigureSteps), tokens = new(FigureSteps), tflops = new(FigureSteps), mfu = new(FigureSteps);

    public void OnStep(StepProgress progress) => connection.Send(new RankLink.StepReport(progress.Step, progress.Loss, progress.TokensPerSecond, Memory(),
        progress.Rank is { } r
            ? new RankStepFigures(stepSeconds.Add(progress.StepSeconds), computeSeconds.Add(progress.Times?.Compute ?? progress.StepSeconds), tokens.Add(r.TokensPerSecond), tflops.Add(r.Tflops), mfu.Add(r.Mfu))
            : null,
        progress is { ValidationLoss: { } v, ValidationStep: { } s } ? new ValidationPoint(s, v) : null));

    public void OnCheckpointCommitted(long step, string path) => connection.Send(new RankLink.CommitSeen(step));

    /// <summary>Memory in use, read at most once a second (the status shows it; steps can be much faster).</summary>
    private long? Memory()
    {
        if (memory is null || DateTimeOffset.UtcNow - memoryRead < TimeSpan.FromSeconds(1)) return lastMemory;
        memoryRead = DateTimeOffset.UtcNow;
        return lastMemory = memory();
    }
}
