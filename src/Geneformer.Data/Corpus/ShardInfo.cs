namespace Geneformer.Data.Corpus;

/// <summary>
/// One shard of a split as the manifest lists it: its path relative to the corpus directory, its rows, and its size
/// and SHA-256 as written (null in corpora prepared before shards carried checksums).
/// </summary>
public sealed record ShardInfo(string File, long Rows, long? Bytes = null, string? Sha256 = null);
