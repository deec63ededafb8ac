namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The gaps between one rank's reports once it trains: the longest of the run, and the longest of the last one or two
/// windows of <see cref="Window"/> (how late this rank's reports come just now). A window, not the last gap: reports
/// held up behind a starved agent arrive in a burst, and the burst's last gap is a few milliseconds.
/// </summary>
internal sealed class HeartbeatGaps(TimeSpan window)
{
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private double current, previous;

    public TimeSpan Window { get; } = window;

    /// <summary>The longest gap since the rank began training, in seconds.</summary>
    public double Longest { get; private set; }

    public void Add(DateTimeOffset now, double gapSeconds)
    {
        Roll(now);
        current = Math.Max(current, gapSeconds);
        Longest = Math.Max(Longest, gapSeconds);
    }

    /// <summary>The longest gap that ended within the last one to two windows, in seconds.</summary>
    public double Recent(DateTimeOffset now)
    {
        Roll(now);
        return Math.Max(current, previous);
    }

    private void Roll(DateTimeOffset now)
    {
        if (now - windowStart < Window) return;
        previous = now - windowStart < 2 * Window ? current : 0;
        (current, windowStart) = (0, now);
    }
}
