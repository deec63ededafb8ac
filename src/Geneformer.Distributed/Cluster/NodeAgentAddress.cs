using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Where a job's agent listens on one node: a Linux abstract Unix socket named for the job (its coordinator's address)
/// and the node. An abstract name is no file: it cannot be left behind, and it is free again the moment the process
/// holding it dies, so binding it is an election (the first rank process of the node to bind hosts the agent).
/// </summary>
public sealed record NodeAgentAddress(string Name)
{
    public static NodeAgentAddress For(SeedNode coordinator, string node)
    {
        // sun_path holds 107 bytes: a digest keeps long host and node names apart within it.
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{coordinator.Host}:{coordinator.Port}/{node}")))[..16].ToLowerInvariant();
        var readable = new string(node.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_').Take(40).ToArray());
        return new NodeAgentAddress($"geneformer-agent/{readable}/{digest}");
    }

    public EndPoint EndPoint => new UnixDomainSocketEndPoint("\0" + Name);

    public override string ToString() => "@" + Name;
}
