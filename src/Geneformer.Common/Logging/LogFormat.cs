namespace Geneformer.Common.Logging;

/// <summary>
/// How a process writes its console: <c>text</c> (lines as they are) or <c>json</c> (one JSON object per line with time,
/// level, rank, node and generation, for log collectors such as Loki or Elastic). The choice goes to every process this
/// one starts (ranks, a Slurm job's steps) through <see cref="Variable"/>.
/// </summary>
public static class LogFormat
{
    public const string Variable = "GENEFORMER_LOG_FORMAT";
    public static readonly string[] Formats = ["text", "json"];

    public static bool Json { get; private set; }

    /// <summary>The format a process starts with: its parent's, else text.</summary>
    public static string Inherited => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : "text";

    /// <summary>Switches this process's console to <paramref name="format"/> and passes it on to the processes it starts.</summary>
    public static void Apply(string format)
    {
        if (!Formats.Contains(format))
            throw new ArgumentException($"--log-format {format}: expected text or json ({Variable} sets the default)");
        Environment.SetEnvironmentVariable(Variable, format);
        if (format != "json" || Json) return;
        Json = true;
        Console.SetOut(new JsonLogWriter(Console.Out, "info"));
        Console.SetError(new JsonLogWriter(Console.Error, "info"));
    }
}
