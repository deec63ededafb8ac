using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

public sealed record CoordinatorHostOptions(ClusterSettings Settings, int WorldSize, string CheckpointRoot, long TrainCells)
{
    /// <summary>Where to start while the checkpoint directory holds no verified checkpoint (continuing another run): a checkpoint or a checkpoint directory.</summary>
    public string? InitialCheckpoint { get; init; }

    public MelLogLevel LogLevel { get; init; } = MelLogLevel.Information;
}
