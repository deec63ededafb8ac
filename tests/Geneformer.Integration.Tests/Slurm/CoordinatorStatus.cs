using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests.Slurm;

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
