using Geneformer.Training;

namespace Geneformer.Bench;

/// <summary>Keeps every step's progress of a trainer run, for the benchmarks that run the real trainer.</summary>
public sealed class StepCollector : ITrainingObserver
{
    public List<StepProgress> Steps { get; } = [];
    public void OnPhase(TrainingPhase phase) { }
    public void OnStep(StepProgress progress) => Steps.Add(progress);
    public void OnCheckpointCommitted(long step, string path) { }
}
