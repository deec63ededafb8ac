namespace Geneformer.Distributed.Slurm;

/// <summary>POSIX shell quoting for values written into the batch script.</summary>
public static class ShellQuote
{
    /// <summary>The value as one shell word: as is when it holds only safe characters, else single-quoted (embedded quotes as <c>'\''</c>).</summary>
    public static string Word(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Several values as shell words separated by spaces (what the script's <c>eval "a=($VAR)"</c> splits back).</summary>
    public static string Words(IEnumerable<string> values) => string.Join(' ', values.Select(Word));
}
