using System.Globalization;
using System.Text.RegularExpressions;

namespace Geneformer.Distributed.Slurm;

/// <summary>Slurm's time limit formats (<c>MM</c>, <c>MM:SS</c>, <c>HH:MM:SS</c>, <c>D-HH</c>, <c>D-HH:MM</c>, <c>D-HH:MM:SS</c>).</summary>
public static partial class SlurmTime
{
    [GeneratedRegex(@"^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$")]
    private static partial Regex Pattern();

    /// <summary>The limit in seconds, or an <see cref="ArgumentException"/> naming the accepted formats.</summary>
    public static long ToSeconds(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success) throw new ArgumentException($"--time '{text}' is not a Slurm time limit; expected HH:MM:SS, MM, MM:SS, D-HH, D-HH:MM or D-HH:MM:SS");
        long N(int g) => m.Groups[g].Success ? long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        var parts = new[] { N(2), N(3), N(4) };
        var count = 1 + (m.Groups[3].Success ? 1 : 0) + (m.Groups[4].Success ? 1 : 0);
        if (m.Groups[1].Success) // D-HH[:MM[:SS]]
            return N(1) * 86400 + parts[0] * 3600 + parts[1] * 60 + parts[2];
        return count switch
        {
            1 => parts[0] * 60,                                  // MM
            2 => parts[0] * 60 + parts[1],                       // MM:SS
            _ => parts[0] * 3600 + parts[1] * 60 + parts[2],     // HH:MM:SS
        };
    }
}
