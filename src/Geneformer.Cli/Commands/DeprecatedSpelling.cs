using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace Geneformer.Cli.Commands;

/// <summary>
/// Old spellings of renamed options (<c>--cluster-config</c>, the coordinator's and bench's <c>--config</c>): still
/// accepted so existing scripts keep working, and a note on stderr names the new spelling whenever one is used.
/// </summary>
public static class DeprecatedSpelling
{
    private static readonly ConditionalWeakTable<Option, string[]> OldSpellings = new();

    /// <summary>Accepts <paramref name="spellings"/> for <paramref name="option"/> and remembers them as deprecated.</summary>
    public static T Accept<T>(T option, params string[] spellings) where T : Option
    {
        foreach (var s in spellings) option.Aliases.Add(s);
        OldSpellings.AddOrUpdate(option, spellings);
        return option;
    }

    /// <summary>The notes for the deprecated spellings a command line used, one per option given.</summary>
    public static IEnumerable<string> Notes(ParseResult parse)
    {
        foreach (var result in Descendants(parse.RootCommandResult))
            if (result is OptionResult { IdentifierToken: { } token } o && OldSpellings.TryGetValue(o.Option, out var old) && old.Contains(token.Value))
                yield return $"note: {token.Value} is deprecated and will be removed; use {o.Option.Name}";
    }

    private static IEnumerable<SymbolResult> Descendants(CommandResult command)
    {
        foreach (var child in command.Children)
        {
            yield return child;
            if (child is CommandResult sub)
                foreach (var d in Descendants(sub)) yield return d;
        }
    }
}
