namespace Geneformer.Distributed.Cluster;

/// <summary>HOST:PORT of a seed node.</summary>
public sealed record SeedNode(string Host, int Port)
{
    public static SeedNode Parse(string text, string source = "seed node")
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
            throw new ArgumentException($"{source}: seed node '{text}' is not HOST:PORT");
        return new SeedNode(text[..colon], port);
    }

    /// <param name="tls">whether the cluster transport runs TLS: Akka.Remote then names its addresses akka.ssl.tcp</param>
    public string AkkaAddress(string systemName, bool tls) => $"{(tls ? "akka.ssl.tcp" : "akka.tcp")}://{systemName}@{Host}:{Port}";

    public override string ToString() => $"{Host}:{Port}";
}
