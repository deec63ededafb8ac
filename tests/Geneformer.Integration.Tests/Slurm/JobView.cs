namespace Geneformer.Integration.Tests.Slurm;

/// <summary>What `geneformer status --coordinator URL --json` (the real command) shows of a job.</summary>
public sealed record JobView(string Phase, int WorldSize, string? SlurmRestartCount, string? ResumedFrom, long? LastCommittedStep, IReadOnlyList<long> WorkerSteps)
{
    /// <summary>The step every worker has reached (0 while fewer than <see cref="WorldSize"/> workers are listed).</summary>
    public long Step => WorkerSteps.Count == WorldSize ? WorkerSteps.Min() : 0;

    /// <summary>
    /// Every worker has trained a step in this run: past the checkpoint it resumed from (the start order sets a
    /// worker's step to that checkpoint's before it trains), or past 0 when it started from scratch.
    /// </summary>
    public bool TrainedSinceStart => Step > (ResumedFrom is null ? 0 : CheckpointStep(ResumedFrom));

    private static long CheckpointStep(string dir)
    {
        var name = Path.GetFileName(dir.TrimEnd('/'));
        return name.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(name[5..], System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? step
            : throw new FormatException($"resumed_from '{dir}' is not a step-NNNNNN checkpoint directory");
    }

    public override string ToString() =>
        $"phase {Phase}, world size {WorldSize}, SLURM_RESTART_COUNT {SlurmRestartCount ?? "-"}, resumed from {ResumedFrom ?? "-"}, " +
        $"last committed {LastCommittedStep?.ToString() ?? "-"}, worker steps {string.Join(",", WorkerSteps)}";
}
