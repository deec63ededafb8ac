namespace Geneformer.Training;

public sealed class NullObserver : ITrainingObserver
{
    public static readonly NullObserver Instance = new();
    public void OnPhase(TrainingPhase phase) { }
    public void OnStep(StepProgress progress) { }
    public void OnCheckpointCommitted(long step, string path) { }
}
