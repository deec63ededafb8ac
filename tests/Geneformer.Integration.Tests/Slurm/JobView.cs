namespace Geneformer.Integration.Tests.Slurm;

/// <summary>What `geneformer status --coordinator URL --json` (the real command) shows of a job.</summary>
public sealed record JobView(string Phase, int WorldSize, string? SlurmRestartCount, string? ResumedFrom, long? LastCommittedStep, IReadOnlyList<long> WorkerSteps)
{
    /// <summary>The step every worker has reached (0 while fewer than <see cref="WorldSize"/> workers are listed).</summary>
    public long Step => WorkerSteps.Count == WorldSize ? WorkerSteps.Min() : 0;

    public override string ToString() =>
        $"phase {Phase}, world size {WorldSize}, SLURM_RESTART_COUNT {SlurmRestartCount ?? "-"}, resumed from {ResumedFrom ?? "-"}, " +
        $"last committed {LastCommittedStep?.ToString() ?? "-"}, worker steps {string.Join(",", WorkerSteps)}";
}
