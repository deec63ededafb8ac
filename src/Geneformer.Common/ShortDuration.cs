namespace Geneformer.Common;

/// <summary>A duration as an operator reads it at a glance: <c>1h 05m</c>, <c>2m 40s</c>, <c>9s</c>; <c>-</c> when unknown.</summary>
public static class ShortDuration
{
    public static string Format(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s)) return "-";
        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds:00}s" : $"{t.Seconds}s";
    }
}
