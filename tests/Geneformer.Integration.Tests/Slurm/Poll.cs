using System.Diagnostics;

namespace Geneformer.Integration.Tests.Slurm;

public static class Poll
{
    /// <summary>Polls until <paramref name="condition"/> holds; on timeout throws with <paramref name="what"/> and the diagnostics.</summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}\n{diagnostics?.Invoke()}");
            Thread.Sleep(250);
        }
    }
}
