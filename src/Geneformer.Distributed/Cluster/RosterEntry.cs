using Akka.Actor;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>The coordinator's record of one registered rank of the current generation.</summary>
internal sealed class RosterEntry(RegisterWorker registration, IActorRef worker, DateTimeOffset now)
{
    public RegisterWorker Registration { get; } = registration;
    public IActorRef Worker { get; } = worker;
    public int Rank => Registration.Identity.Rank;
    public WorkerReport? Last { get; set; }
    public DateTimeOffset LastHeartbeat { get; set; } = now;
    public DateTimeOffset LastProgress { get; set; } = now;
    /// <summary>The process is gone (Terminated), after having stopped cleanly.</summary>
    public bool Gone { get; set; }
    public bool Stopped => Last?.Phase == TrainingPhase.Stopped;
    public string Describe() => $"rank {Rank} ({Registration.Identity.Node}, pid {Registration.Identity.Pid})";
}
