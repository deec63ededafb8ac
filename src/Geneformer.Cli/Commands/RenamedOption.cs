using System.CommandLine;

namespace Geneformer.Cli.Commands;

/// <summary>
/// Spellings an option had before each option name came to mean one thing across commands (<c>--config</c> for a
/// training preset, a model preset or cluster settings; <c>--cluster-config</c>; <c>--checkpoint-config</c>). They are
/// refused with an error that names the new spelling, rather than read as something else. Hidden from help.
/// </summary>
public static class RenamedOption
{
    private static readonly List<(Option Old, string New)> Renamed = [];

    /// <summary>Refuses <paramref name="oldSpelling"/> on <paramref name="command"/>, naming <paramref name="current"/>.</summary>
    public static void Refuse(Command command, string oldSpelling, Option current)
    {
        var old = new Option<string[]>(oldSpelling) { Hidden = true, AllowMultipleArgumentsPerToken = true };
        command.Options.Add(old);
        lock (Renamed) Renamed.Add((old, current.Name));
    }

    /// <summary>One error per renamed spelling the command line used.</summary>
    public static IEnumerable<string> Errors(ParseResult parse)
    {
        lock (Renamed)
            foreach (var (old, current) in Renamed)
                if (parse.GetResult(old) is not null)
                    yield return $"{old.Name} was renamed: use {current} (each option name means one thing across commands; docs/commands.md)";
    }
}
