namespace Geneformer.Distributed.Status;

public sealed record WorkerDocument(
    string Node, int Rank, int LocalRank, string Device, int Pid, string Phase, long Step, double? Loss, double? TokensPerSecond,
    long? DeviceMemoryBytes, long? LastCommittedStep, string? Error, double HeartbeatAgeSeconds, bool Stale)
{
    /// <summary>The longest silence between two reports since the rank began training.</summary>
    public double MaxHeartbeatGapSeconds { get; init; }
    /// <summary>The process hosting the rank's node agent: the node's cluster member.</summary>
    public int AgentPid { get; init; }
}
