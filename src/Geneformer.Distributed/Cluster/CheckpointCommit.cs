using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Cluster;

/// <summary>The coordinator's commit of a staged checkpoint: every rank's part must be on disk and agree (step, position, weight digest), then manifest + rename + <c>latest</c>, then prune.</summary>
public static class CheckpointCommit
{
    public static (string Path, IReadOnlyList<long> Pruned) Run(CheckpointStore store, long step, int worldSize, int keepLast)
    {
        var staging = store.StagingPath(step);
        if (!Directory.Exists(staging)) throw new InvalidDataException($"{staging}: the staged checkpoint of step {step} does not exist");
        var missing = Enumerable.Range(0, worldSize).Where(r => !File.Exists(CheckpointLayout.RankPartPath(staging, r))).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{staging}: part of rank(s) {string.Join(", ", missing)} missing; not committing step {step}");
        RankPart.VerifyAll(staging, worldSize, step);
        var path = store.Commit(step);
        return (path, store.Prune(keepLast));
    }
}
