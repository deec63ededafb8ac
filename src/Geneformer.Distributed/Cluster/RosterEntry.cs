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
    /// <summary>The rank has reported training (or a step past its start): from then on its silence is a hang.</summary>
    public bool Training { get; set; }
    /// <summary>The silences between two reports since the rank began training.</summary>
    public required HeartbeatGaps Gaps { get; init; }
    /// <summary>The process is gone (Terminated), after having stopped cleanly.</summary>
    public bool Gone { get; set; }
    public bool Stopped => Last?.Phase == TrainingPhase.Stopped;
    public string Describe() => $"rank {Rank} ({Registration.Identity.Node}, pid {Registration.Identity.Pid})";
}
