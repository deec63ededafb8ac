namespace Geneformer.Distributed.Status;

public sealed record JobDocument(
    int WorldSize, string Phase, int Generation, int Restarts, int MaxRestarts, string? LastFailure, string? SlurmRestartCount,
    long? LastCommittedStep, string? LastCommittedCheckpoint, string? ResumedFrom, int RegisteredWorkers, DateTimeOffset Time)
{
    /// <summary>Worker reports (heartbeats) the coordinator has handled since it started.</summary>
    public long ReportsReceived { get; init; }
}
