namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Which rank the others wait for. Every rank meets the others at each step's all-reduce, so all share one step time;
/// what differs is the compute time before it. The rank that computes longest is the slowest; it is a straggler when
/// it computes <see cref="Factor"/> times the median of all ranks or more (and at least 10 ms more).
/// </summary>
public static class Stragglers
{
    public const double Factor = 1.25;

    /// <summary>The slowest rank and whether it is a straggler; null with fewer than two ranks' figures.</summary>
    public static (int Rank, bool Straggler)? Slowest(IReadOnlyList<(int Rank, double ComputeSeconds)> ranks)
    {
        if (ranks.Count < 2) return null;
        var median = Median.Of(ranks.Select(r => r.ComputeSeconds));
        var slowest = ranks.MaxBy(r => r.ComputeSeconds);
        return (slowest.Rank, slowest.ComputeSeconds >= Factor * median && slowest.ComputeSeconds - median >= 0.01);
    }
}
