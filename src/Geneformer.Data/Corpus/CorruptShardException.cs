namespace Geneformer.Data.Corpus;

/// <summary>
/// A shard's bytes are not those prepare wrote (its size or SHA-256 differs from the manifest's). Reading it again
/// cannot help: a job that meets this stops instead of restarting.
/// </summary>
public sealed class CorruptShardException(string path, string what) : IOException($"{path}: {what}; the corpus is damaged: copy it again or re-run prepare")
{
    public string Path { get; } = path;
    /// <summary>What is wrong with it (size, rows or SHA-256 against the manifest's).</summary>
    public string What { get; } = what;
}
