namespace Geneformer.Training.Checkpoints;

/// <summary>
/// Which checkpoint a run starts from: one rule for every way a run starts (one process, MPI ranks, the coordinator,
/// a Slurm job). The newest checkpoint of the run's own directory that verifies; when it has none, the seed given
/// with <c>--resume-from</c> (a checkpoint, or the newest verified one of another run's directory); else none, and the
/// run starts fresh.
/// </summary>
public static class ResumePolicy
{
    /// <param name="Checkpoint">the checkpoint to start from; null: start fresh</param>
    /// <param name="Skipped">checkpoints of the run's own directory that do not verify, newest first, with their problems</param>
    /// <param name="FromSeed">the checkpoint is the seed's: the run's own directory has none</param>
    public sealed record Choice(CheckpointInfo? Checkpoint, IReadOnlyList<CheckpointInfo> Skipped, bool FromSeed);

    /// <summary>Hashes the checkpoints it considers. Throws, naming the seed, when the seed is needed and holds no verified checkpoint.</summary>
    public static Choice Choose(CheckpointStore own, string? seed)
    {
        var (found, skipped) = own.FindResumable();
        if (found is not null || seed is null) return new Choice(found, skipped, false);
        return new Choice(CheckpointStore.Resolve(seed), skipped, true);
    }

    /// <summary>The folder of the checkpoint of <paramref name="step"/> that <see cref="Choose"/> picked (for ranks that learn only its step).</summary>
    public static string PathOf(CheckpointStore own, string? seed, long step, bool fromSeed) =>
        !fromSeed ? own.PathOf(step)
        : File.Exists(Path.Combine(seed!, CheckpointLayout.ManifestFile)) ? Path.GetFullPath(seed!) : new CheckpointStore(seed!).PathOf(step);
}
