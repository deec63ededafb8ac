using System.Security.Cryptography;

namespace Geneformer.Data.Corpus;

/// <summary>The size and SHA-256 (lower-case hex) of a shard file, recorded at prepare and checked before training reads it.</summary>
public sealed record ShardChecksum(long Bytes, string Sha256)
{
    public static ShardChecksum Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return new ShardChecksum(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
