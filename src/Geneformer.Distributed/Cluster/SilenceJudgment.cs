namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Which training ranks are hung, from how long each has been silent. A rank is judged against the job: it is hung
/// once it has been silent <c>job.heartbeat_timeout_s</c> longer than the other ranks' usual silence just now, the
/// larger of their median current silence and their median recent longest gap (<see cref="HeartbeatGaps.Recent"/>).
/// A hung rank, a dead node or a stopped process is silent alone while the others report, and is found after about
/// the timeout. When every rank is late together (every node slowed, the coordinator's own host paused), the silence
/// is common to all and no rank is blamed; only a silence of <see cref="WholeJobFactor"/> times the timeout fails a
/// rank whatever the others do, so a job frozen everywhere still ends.
/// </summary>
internal static class SilenceJudgment
{
    /// <summary>A silence this many heartbeat timeouts long fails a rank whatever the others do.</summary>
    public const int WholeJobFactor = 3;

    /// <summary>One rank as judged: seconds since its last report, and its longest recent gap between reports.</summary>
    public readonly record struct Rank(double Silence, double RecentGap);

    /// <summary>One rank's verdict: its silence and the others' usual silence when it was judged.</summary>
    public readonly record struct Verdict(int Index, double Silence, double Common);

    /// <summary>The ranks (indices into <paramref name="ranks"/>) found hung.</summary>
    public static IReadOnlyList<Verdict> Hung(IReadOnlyList<Rank> ranks, double timeout)
    {
        var silences = ranks.Select(r => r.Silence).Order().ToArray();
        var gaps = ranks.Select(r => r.RecentGap).Order().ToArray();
        var hung = new List<Verdict>();
        for (var i = 0; i < ranks.Count; i++)
        {
            var (silence, gap) = ranks[i];
            var common = Math.Max(OthersMedian(silences, silence), OthersMedian(gaps, gap));
            if (silence > timeout + common || silence > WholeJobFactor * timeout) hung.Add(new Verdict(i, silence, common));
        }
        return hung;
    }

    /// <summary>
    /// The lower median of the values other than one equal to <paramref name="own"/>: with half the ranks silent (a
    /// job of two nodes, one dead), the lower median is still a rank that reports.
    /// </summary>
    private static double OthersMedian(double[] sorted, double own)
    {
        var n = sorted.Length - 1;
        if (n == 0) return 0;
        var m = (n - 1) / 2;
        var at = Array.IndexOf(sorted, own); // removing any one copy of own gives the same others
        return at > m ? sorted[m] : sorted[m + 1];
    }
}
