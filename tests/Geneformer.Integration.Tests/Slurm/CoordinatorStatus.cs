using System.Text.Json;
using Geneformer.TestSupport;

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

public static class CoordinatorStatus
{
    /// <summary>Runs `geneformer status --coordinator <paramref name="coordinator"/> --json`; null while the coordinator does not answer.</summary>
    public static JobView? Read(string coordinator)
    {
        var r = GeneformerProcess.Run(TimeSpan.FromSeconds(30), "status", "--coordinator", coordinator, "--json");
        if (r.ExitCode != 0) return null;
        var root = JsonDocument.Parse(r.StdOut).RootElement;
        var job = root.GetProperty("job");
        string? Text(string name) => job.GetProperty(name).ValueKind == JsonValueKind.Null ? null : job.GetProperty(name).ToString();
        return new JobView(job.GetProperty("phase").GetString()!, job.GetProperty("world_size").GetInt32(), Text("slurm_restart_count"), Text("resumed_from"),
            job.GetProperty("last_committed_step").ValueKind == JsonValueKind.Number ? job.GetProperty("last_committed_step").GetInt64() : null,
            root.GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("step").GetInt64()).ToList());
    }
}
