using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

public class JobEtaAndStragglersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static StepPoint Point(long step, double seconds) => new(step, 7.0, 1000) { Time = T0.AddSeconds(seconds) };

    [Fact]
    public void The_eta_is_the_steps_left_at_the_pace_of_the_recent_points()
    {
        // Slow at first (10 s a step), then 2 s a step over the last window: the ETA follows the recent pace.
        var history = Enumerable.Range(0, 10).Select(i => Point(i, 10.0 * i)).Concat(Enumerable.Range(10, 30).Select(i => Point(i, 90 + 2.0 * (i - 9)))).ToList();
        Assert.Equal((100 - 39) * 2.0, JobEta.Seconds(history, 39, 100)!.Value, 6);
        Assert.Equal(0, JobEta.Seconds(history, 100, 100));
        Assert.Null(JobEta.Seconds([Point(5, 0)], 5, 100));
        Assert.Null(JobEta.Seconds([Point(5, 3), Point(6, 3)], 6, 100));
    }

    [Fact]
    public void The_rank_that_computes_longest_is_a_straggler_only_when_it_computes_well_above_the_median()
    {
        Assert.Equal((3, true), Stragglers.Slowest([(0, 0.10), (1, 0.11), (2, 0.10), (3, 0.30)]));
        Assert.Equal((1, false), Stragglers.Slowest([(0, 0.10), (1, 0.11), (2, 0.10), (3, 0.10)]));
        Assert.Equal((1, false), Stragglers.Slowest([(0, 0.001), (1, 0.004)])); // 4x, but 3 ms: noise
        Assert.Null(Stragglers.Slowest([(0, 0.5)]));
    }
}
