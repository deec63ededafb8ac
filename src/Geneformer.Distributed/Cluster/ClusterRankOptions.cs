using Geneformer.Training;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>How a rank process joins the cluster.</summary>
/// <param name="TrainCells">the train split's cell count as this rank's corpus reader sees it (checked against the coordinator's)</param>
public sealed record ClusterRankOptions(ClusterSettings Settings, IReadOnlyList<SeedNode> Seeds, WorkerIdentity Identity, JobSettings Job, long TrainCells)
{
    /// <summary>Rank 0's NCCL unique id (base64) when the backend is NCCL; the coordinator relays it to every rank.</summary>
    public string? NcclUniqueId { get; init; }
    /// <summary>The trainer's stop signal; the coordinator's checkpoint and stop orders are delivered to it.</summary>
    public StopSignal Stop { get; init; } = new();
    /// <summary>Device memory in use, sampled at each report (cheap; called on the actor thread).</summary>
    public Func<long?>? DeviceMemory { get; init; }
    /// <summary>Cluster port of this process (0: any free port).</summary>
    public int Port { get; init; }
    /// <summary>When set, an aborted rank process exits with this code once abort_grace_s has passed (a rank stuck in a collective cannot be cancelled).</summary>
    public int? ExitProcessOnAbort { get; init; }
    public MelLogLevel LogLevel { get; init; } = MelLogLevel.Information;
}
