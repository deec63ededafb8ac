using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

public class HeartbeatGapsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void A_burst_after_a_long_gap_keeps_the_long_gap_as_the_recent_one()
    {
        var gaps = new HeartbeatGaps(TimeSpan.FromSeconds(20));
        gaps.Add(At(0), 1);
        gaps.Add(At(12), 12);
        gaps.Add(At(12.01), 0.01);
        gaps.Add(At(12.02), 0.01);
        Assert.Equal(12, gaps.Recent(At(12.02)));
    }

    [Fact]
    public void A_long_gap_is_forgotten_after_one_to_two_windows_but_stays_the_longest()
    {
        var gaps = new HeartbeatGaps(TimeSpan.FromSeconds(20));
        gaps.Add(At(0), 15);
        for (var t = 1; t <= 60; t++)
        {
            gaps.Add(At(t), 1);
            if (t < 20) Assert.Equal(15, gaps.Recent(At(t)));
        }
        Assert.Equal(1, gaps.Recent(At(60)));
        Assert.Equal(15, gaps.Longest);
    }

    [Fact]
    public void No_gaps_yet_is_a_recent_gap_of_zero()
    {
        Assert.Equal(0, new HeartbeatGaps(TimeSpan.FromSeconds(20)).Recent(At(100)));
    }
}
