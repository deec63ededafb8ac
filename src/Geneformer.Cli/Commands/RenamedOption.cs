using System.CommandLine;
using System.CommandLine.Parsing;

namespace Geneformer.Cli.Commands;

/// <summary>
/// A spelling an option had before each option name came to mean one thing across commands (<c>--config</c> for a
/// training preset, a model preset or cluster settings; <c>--cluster-config</c>; <c>--checkpoint-config</c>). It is
/// refused with an error that names the current spelling, rather than read as something else. Hidden from help.
/// </summary>
public sealed class RenamedOption : Option<string[]>
{
    /// <summary>The option's current name.</summary>
    public string Current { get; }

    private RenamedOption(string oldSpelling, string current) : base(oldSpelling)
    {
        Current = current;
        Hidden = true;
        AllowMultipleArgumentsPerToken = true;
    }

    /// <summary>Refuses <paramref name="oldSpelling"/> on <paramref name="command"/>, naming <paramref name="current"/>.</summary>
    public static void Refuse(Command command, string oldSpelling, Option current) => command.Options.Add(new RenamedOption(oldSpelling, current.Name));

    /// <summary>One error per renamed spelling the command line used, on the command it ran or the ones above it.</summary>
    public static IEnumerable<string> Errors(ParseResult parse)
    {
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            foreach (var old in result.Command.Options.OfType<RenamedOption>())
                if (parse.GetResult(old) is not null)
                    yield return $"{old.Name} was renamed: use {old.Current} (each option name means one thing across commands; docs/commands.md)";
    }
}
