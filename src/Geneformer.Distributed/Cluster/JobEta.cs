using Geneformer.Common;

namespace Geneformer.Distributed.Cluster;

/// <summary>When a job will reach its last step, at the pace of its recent steps.</summary>
public static class JobEta
{
    /// <summary>Points of the loss curve the pace is measured over (the newest ones).</summary>
    public const int Window = 20;

    /// <summary>
    /// Seconds until <paramref name="maxSteps"/> at the pace of the last <see cref="Window"/> points of
    /// <paramref name="history"/> (steps per second between the first and last of them); null with fewer than two
    /// points of the current run, or no time between them.
    /// </summary>
    public static double? Seconds(IReadOnlyList<StepPoint> history, long step, long maxSteps)
    {
        if (step >= maxSteps) return 0;
        var recent = history.Skip(Math.Max(0, history.Count - Window)).ToList();
        if (recent.Count < 2) return null;
        return StepPace.SecondsLeft((recent[0].Step, recent[0].Time), (recent[^1].Step, recent[^1].Time), maxSteps - step);
    }
}
