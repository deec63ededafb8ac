namespace Geneformer.Collectives;

/// <summary>A rank's place in the job: global rank, world size, and rank on its node (which GPU it uses).</summary>
public sealed record RankPlacement(int Rank, int WorldSize, int LocalRank);
