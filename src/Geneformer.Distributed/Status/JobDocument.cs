using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Status;

public sealed record JobDocument(
    int WorldSize, string Phase, int Generation, int Restarts, int MaxRestarts, string? LastFailure, string? SlurmRestartCount,
    long? LastCommittedStep, string? LastCommittedCheckpoint, string? ResumedFrom, int RegisteredWorkers, DateTimeOffset Time)
{
    /// <summary>Worker reports (heartbeats) the coordinator has handled since it started.</summary>
    public long ReportsReceived { get; init; }
    /// <summary>The step every rank has reached, and the last one.</summary>
    public long? Step { get; init; }
    public long? MaxSteps { get; init; }
    /// <summary>Seconds to max_steps at the pace of the recent steps; null until there is a pace.</summary>
    public double? EtaSeconds { get; init; }
    /// <summary>Seconds since the last committed checkpoint was committed.</summary>
    public double? LastCommittedAgeSeconds { get; init; }
    /// <summary>Every restart: the generation it opened, when, and why.</summary>
    public RestartRecord[] RestartHistory { get; init; } = [];
    /// <summary>Real tokens per second of all ranks, their TFLOPS summed, and their mean MFU (the ranks' latest steps).</summary>
    public double? TokensPerSecond { get; init; }
    public double? Tflops { get; init; }
    public double? Mfu { get; init; }
    /// <summary>The rank that computes longest (the others wait for it), and whether it is a straggler.</summary>
    public int? SlowestRank { get; init; }
    public bool Straggler { get; init; }
}
