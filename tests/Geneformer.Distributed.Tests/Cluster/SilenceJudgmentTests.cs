using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

public class SilenceJudgmentTests
{
    private const double Timeout = 20;

    private static int[] Hung(params double[] silences) => [.. SilenceJudgment.Hung(silences, Timeout).Select(v => v.Index)];

    [Fact]
    public void A_rank_silent_while_the_others_report_is_hung_after_about_the_timeout()
    {
        var silences = Enumerable.Repeat(1.0, 64).ToArray();
        silences[21] = 20.5;
        Assert.Empty(Hung(silences));
        silences[21] = 21.5;
        Assert.Equal([21], Hung(silences));
    }

    [Fact]
    public void A_dead_node_of_eight_ranks_is_hung_together()
    {
        var silences = Enumerable.Range(0, 64).Select(r => r is >= 16 and < 24 ? 25.0 : 0.5 + r % 3).ToArray();
        Assert.Equal(Enumerable.Range(16, 8), Hung(silences));
    }

    [Fact]
    public void Ranks_late_together_are_not_blamed_for_a_silence_common_to_the_job()
    {
        // Every node slowed: reports arrive in bursts, each rank between 5 and 26 s late.
        var silences = Enumerable.Range(0, 64).Select(r => 5 + r / 3.0).ToArray();
        Assert.True(silences.Max() > Timeout);
        Assert.Empty(Hung(silences));
    }

    [Fact]
    public void A_whole_job_silent_for_three_timeouts_is_hung_so_a_frozen_job_still_ends()
    {
        Assert.Empty(Hung(55, 55, 55, 55));
        Assert.Equal([0, 1, 2, 3], Hung(61, 61, 61, 61));
    }

    [Fact]
    public void With_half_the_ranks_silent_the_reporting_half_still_sets_the_common_silence()
    {
        Assert.Equal([4, 5, 6, 7], Hung(1, 1, 1, 1, 25, 25, 25, 25));
        Assert.Equal([1], Hung(0.5, 21));
    }

    [Fact]
    public void A_single_rank_is_judged_by_the_timeout_alone()
    {
        Assert.Empty(Hung(19));
        Assert.Equal([0], Hung(21));
    }

    [Fact]
    public void The_verdict_names_the_silence_common_to_the_others()
    {
        var verdict = Assert.Single(SilenceJudgment.Hung([2, 3, 4, 30], Timeout));
        Assert.Equal((3, 30.0, 3.0), (verdict.Index, verdict.Silence, verdict.Common));
    }
}
