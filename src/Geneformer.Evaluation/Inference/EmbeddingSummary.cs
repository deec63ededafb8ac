namespace Geneformer.Evaluation.Inference;

/// <summary>What an embedding run did: cells, those with no vocabulary gene (given zero vectors / no gene rows), time.</summary>
public sealed record EmbeddingSummary(long Cells, long EmptyCells, long GeneTokens, double Seconds)
{
    public double CellsPerSecond => Cells / Math.Max(Seconds, 1e-9);
}
