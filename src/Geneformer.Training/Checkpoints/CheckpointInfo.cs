namespace Geneformer.Training.Checkpoints;

public sealed record CheckpointInfo(long Step, string Path, IReadOnlyList<string> Problems, double? ValidationLoss)
{
    public bool Verified => Problems.Count == 0;
}
