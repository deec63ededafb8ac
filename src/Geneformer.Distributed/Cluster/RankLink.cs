using System.Text.Json.Serialization;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Every message between a rank process and its node's agent, over the node-local socket (<see cref="RankLinkConnection"/>).
/// The agent holds the rank's <see cref="WorkerActor"/>, the rank's member of the cluster; the rank only trains.
/// </summary>
internal static class RankLink
{
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
    [JsonDerivedType(typeof(Register), "register")]
    [JsonDerivedType(typeof(PhaseReport), "phase")]
    [JsonDerivedType(typeof(StepReport), "step")]
    [JsonDerivedType(typeof(CommitSeen), "commit_seen")]
    [JsonDerivedType(typeof(PartReady), "part_ready")]
    [JsonDerivedType(typeof(Heartbeat), "heartbeat")]
    [JsonDerivedType(typeof(Start), "start")]
    [JsonDerivedType(typeof(Committed), "committed")]
    [JsonDerivedType(typeof(CommitRefused), "commit_refused")]
    [JsonDerivedType(typeof(CheckpointRequested), "checkpoint")]
    [JsonDerivedType(typeof(StopRequested), "stop")]
    [JsonDerivedType(typeof(Aborted), "abort")]
    [JsonDerivedType(typeof(Alive), "alive")]
    public abstract record Message;

    // Rank → agent.
    /// <summary>The first message of a connection: who the rank is and what it trains.</summary>
    public sealed record Register(RegisterWorker Registration) : Message;
    public sealed record PhaseReport(TrainingPhase Phase, string? Error, bool Permanent) : Message;
    public sealed record StepReport(long Step, double? Loss, double TokensPerSecond, long? MemoryBytes, RankStepFigures? Figures = null, ValidationPoint? Validation = null) : Message;
    public sealed record CommitSeen(long Step) : Message;
    public sealed record PartReady(long Step, int Rank) : Message;
    /// <summary>Sent every report interval by a thread of the rank's own, apart from training: the rank process is alive.</summary>
    public sealed record Heartbeat : Message;

    // Agent → rank.
    public sealed record Start(StartOrder Order) : Message;
    public sealed record Committed(long Step, string Path) : Message;
    public sealed record CommitRefused(long Step, string Reason) : Message;
    public sealed record CheckpointRequested : Message;
    public sealed record StopRequested(string Reason) : Message;
    /// <summary>Stop at once: the coordinator aborted the job, refused the rank, or is gone.</summary>
    public sealed record Aborted(string Reason) : Message;
    /// <summary>Sent every report interval: the agent is alive (a rank whose agent falls silent aborts).</summary>
    public sealed record Alive : Message;
}
