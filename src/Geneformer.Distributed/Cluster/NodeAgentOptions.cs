using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>How a node's agent joins the cluster and where its ranks find it.</summary>
public sealed record NodeAgentOptions(ClusterSettings Settings, IReadOnlyList<SeedNode> Seeds, NodeAgentAddress Address)
{
    /// <summary>Cluster port of the agent (0: any free port).</summary>
    public int Port { get; init; }
    public MelLogLevel LogLevel { get; init; } = MelLogLevel.Information;
}
