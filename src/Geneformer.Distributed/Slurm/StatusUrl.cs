using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Slurm;

/// <summary>
/// Where a submitted job's coordinator serves its status: <c>http://FIRST_NODE:STATUS_PORT/</c>. The first node is only
/// certain before the job runs when <c>--nodelist</c> names exactly the job's nodes; otherwise the batch script writes
/// the URL to <c>CHECKPOINTS/status-url</c> once the coordinator listens.
/// </summary>
public static class StatusUrl
{
    public const string FileName = "status-url";

    /// <summary>The first node the job will run on, when <paramref name="nodeList"/> pins all <paramref name="nodes"/> of them; else null.</summary>
    public static string? KnownFirstNode(string? nodeList, int nodes)
    {
        if (nodeList is null) return null;
        var hosts = SlurmNodeList.Expand(nodeList).Distinct(StringComparer.Ordinal).ToList();
        if (hosts.Count != nodes) return null;
        // Slurm keeps a job's node list sorted (name prefix, then the number at its end), whatever order --nodelist gave.
        return hosts.OrderBy(Prefix, StringComparer.Ordinal).ThenBy(h => Digits(h).Length).ThenBy(Digits, StringComparer.Ordinal).First();
    }

    public static string For(string host, int port) => $"http://{host}:{port}/";

    private static string Prefix(string host) => host.TrimEnd("0123456789".ToCharArray());

    /// <summary>The number at the end of a host name, as text (compared by length, then ordinally: numerically without overflow).</summary>
    private static string Digits(string host) => host[Prefix(host).Length..].TrimStart('0');
}
