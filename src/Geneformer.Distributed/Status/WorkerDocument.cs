namespace Geneformer.Distributed.Status;

/// <param name="TokensPerSecond">the rank's own real tokens per second (older workers: the job's, averaged per rank)</param>
public sealed record WorkerDocument(
    string Node, int Rank, int LocalRank, string Device, int Pid, string Phase, long Step, double? Loss, double? TokensPerSecond,
    long? DeviceMemoryBytes, long? LastCommittedStep, string? Error, double HeartbeatAgeSeconds, bool Stale)
{
    /// <summary>The longest silence between two reports since the rank began training.</summary>
    public double MaxHeartbeatGapSeconds { get; init; }
    /// <summary>The process hosting the rank's node agent: the node's cluster member.</summary>
    public int AgentPid { get; init; }
    /// <summary>The rank's latest step: wall time and the part spent computing, its TFLOPS and MFU.</summary>
    public double? StepSeconds { get; init; }
    public double? ComputeSeconds { get; init; }
    public double? Tflops { get; init; }
    public double? Mfu { get; init; }
    /// <summary>The rank computes markedly longer than the others: the job runs at its pace.</summary>
    public bool Straggler { get; init; }
}
