namespace Geneformer.Common.Logging;

/// <summary>Who is logging, as JSON log lines name it: set once a process knows its rank, node and generation.</summary>
public static class LogContext
{
    private static volatile string? node;
    private static int rank = -1, generation = -1;

    public static string Node { get => node ?? Environment.MachineName; set => node = value; }
    public static int? Rank { get => rank >= 0 ? rank : null; set => rank = value ?? -1; }
    public static int? Generation { get => generation >= 0 ? generation : null; set => generation = value ?? -1; }
}
