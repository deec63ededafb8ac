using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Cluster;

/// <summary>The checkpoint a job starts from when its own checkpoint directory has none: a given checkpoint, or the newest verified one of a given directory.</summary>
public static class InitialCheckpoint
{
    public static (string? Path, long Step) Resolve(string? given)
    {
        if (given is null) return (null, 0);
        if (File.Exists(Path.Combine(given, CheckpointManifest.FileName)))
        {
            var problems = CheckpointManifest.Read(given).Verify(given);
            if (problems.Count > 0) throw new InvalidDataException($"{given}: checkpoint does not verify: {string.Join("; ", problems)}");
            return (given, TrainerState.Read(given).Step);
        }
        var (found, _) = new CheckpointStore(given).FindResumable();
        return found is null
            ? throw new InvalidDataException($"{given}: neither a checkpoint nor a directory holding a checkpoint that verifies")
            : (found.Path, found.Step);
    }
}
