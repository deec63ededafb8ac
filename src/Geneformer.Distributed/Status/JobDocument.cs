namespace Geneformer.Distributed.Status;

public sealed record JobDocument(
    int WorldSize, string Phase, int Generation, int Restarts, int MaxRestarts, string? LastFailure, string? SlurmRestartCount,
    long? LastCommittedStep, string? LastCommittedCheckpoint, string? ResumedFrom, int RegisteredWorkers, DateTimeOffset Time);
