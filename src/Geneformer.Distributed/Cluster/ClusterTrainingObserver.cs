using Akka.Actor;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>The trainer's observer under the coordinator: each call is one Tell to the rank's worker actor, which reports to the coordinator.</summary>
internal sealed class ClusterTrainingObserver(IActorRef worker) : ITrainingObserver
{
    public void OnPhase(TrainingPhase phase) => worker.Tell(new WorkerActor.PhaseChanged(phase, null));
    public void OnStep(StepProgress progress) => worker.Tell(new WorkerActor.StepDone(progress));
    public void OnCheckpointCommitted(long step, string path) => worker.Tell(new WorkerActor.LocalCommitSeen(step));
}
