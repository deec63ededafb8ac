namespace Geneformer.Common;

/// <summary>How long the steps left take at the pace between two moments of a run: the ETA of the progress line and of the status page.</summary>
public static class StepPace
{
    /// <summary>Seconds for <paramref name="stepsLeft"/> steps at the pace from <paramref name="first"/> to <paramref name="last"/>; null when no step or no time passed between them.</summary>
    public static double? SecondsLeft((long Step, DateTimeOffset Time) first, (long Step, DateTimeOffset Time) last, long stepsLeft)
    {
        var seconds = (last.Time - first.Time).TotalSeconds;
        var steps = last.Step - first.Step;
        return seconds > 0 && steps > 0 ? stepsLeft * seconds / steps : null;
    }
}
