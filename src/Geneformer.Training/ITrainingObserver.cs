namespace Geneformer.Training;

/// <summary>Receives a rank's progress; the Akka worker forwards it to the coordinator. Must return quickly.</summary>
public interface ITrainingObserver
{
    void OnPhase(TrainingPhase phase);
    void OnStep(StepProgress progress);
    void OnCheckpointCommitted(long step, string path);
}
