namespace Geneformer.Distributed.Cluster;

/// <summary>What the coordinator is started with.</summary>
/// <param name="OnOutcome">called once when the job ends (completed, preempted, failed for good)</param>
public sealed record CoordinatorOptions(int WorldSize, string CheckpointRoot, long CorpusTrainCells, ClusterSettings Settings, Action<JobOutcome> OnOutcome, string? InitialCheckpoint = null)
{
    public string? SlurmRestartCount { get; init; } = Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT");
}
