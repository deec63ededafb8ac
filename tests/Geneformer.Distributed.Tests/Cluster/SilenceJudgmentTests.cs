using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

public class SilenceJudgmentTests
{
    private const double Timeout = 20;

    /// <summary>Ranks whose recent gaps are negligible: judged by their silences alone.</summary>
    private static int[] Hung(params double[] silences) => Hung(silences.Select(s => new SilenceJudgment.Rank(s, 0)).ToArray());

    private static int[] Hung(SilenceJudgment.Rank[] ranks) => [.. SilenceJudgment.Hung(ranks, Timeout).Select(v => v.Index)];

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
        var verdict = Assert.Single(SilenceJudgment.Hung([new(2, 0), new(3, 0), new(4, 0), new(30, 0)], Timeout));
        Assert.Equal((3, 30.0, 3.0), (verdict.Index, verdict.Silence, verdict.Common));
    }

    [Fact]
    public void A_rank_silent_within_the_gaps_the_job_shows_just_now_is_not_hung()
    {
        // Every rank slowed: each one's reports came up to 12 s apart lately, and most have just reported in a burst.
        var ranks = Enumerable.Range(0, 64).Select(r => new SilenceJudgment.Rank(2.2, 12)).ToArray();
        ranks[59] = new SilenceJudgment.Rank(23.1, 12);
        Assert.Empty(Hung(ranks));
        ranks[59] = new SilenceJudgment.Rank(32.5, 12);
        Assert.Equal([59], Hung(ranks));
    }

    [Fact]
    public void A_rank_is_not_excused_by_its_own_long_gaps()
    {
        var ranks = Enumerable.Range(0, 64).Select(r => new SilenceJudgment.Rank(0.5, 1)).ToArray();
        ranks[5] = new SilenceJudgment.Rank(21.5, 15);
        Assert.Equal([5], Hung(ranks));
    }

    [Fact]
    public void The_verdict_names_the_larger_of_the_others_silences_and_gaps()
    {
        var verdict = Assert.Single(SilenceJudgment.Hung([new(2, 6), new(3, 7), new(4, 8), new(30, 1)], Timeout));
        Assert.Equal((3, 30.0, 7.0), (verdict.Index, verdict.Silence, verdict.Common));
    }
}
