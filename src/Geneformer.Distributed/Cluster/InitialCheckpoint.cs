using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Cluster;

/// <summary>The checkpoint a job starts from when its own checkpoint directory has none: a given checkpoint, or the newest verified one of a given directory.</summary>
public static class InitialCheckpoint
{
    public static (string? Path, long Step) Resolve(string? given)
    {
        if (given is null) return (null, 0);
        var found = CheckpointStore.Resolve(given);
        return (found.Path, found.Step);
    }
}
