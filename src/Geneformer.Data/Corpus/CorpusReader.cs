using System.Collections.Concurrent;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Corpus;

/// <summary>A prepared corpus directory: manifest, vocabulary, and memory-mapped splits. Thread-safe; dispose to unmap.</summary>
public sealed class CorpusReader : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<CorpusSplit>> splits = new(StringComparer.Ordinal);

    public string Directory { get; }
    public CorpusManifest Manifest { get; }
    public GeneVocabulary Vocabulary { get; }

    private CorpusReader(string directory, CorpusManifest manifest, GeneVocabulary vocabulary)
    {
        Directory = directory;
        Manifest = manifest;
        Vocabulary = vocabulary;
    }

    public static CorpusReader Open(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) throw new DirectoryNotFoundException($"corpus directory {dir} not found");
        var manifest = CorpusManifest.Load(Path.Combine(dir, CorpusManifest.FileName));
        var vocab = DictionaryFiles.LoadVocabulary(Path.Combine(dir, CorpusManifest.VocabularyFileName));
        return new CorpusReader(dir, manifest, vocab);
    }

    /// <summary>"train", "validation" or "test" (a split with no cells has Count 0).</summary>
    public CorpusSplit Split(string name)
    {
        if (!Manifest.Shards.TryGetValue(name, out var shards))
            throw new ArgumentException($"{Directory}: no split '{name}' (has {string.Join(", ", Manifest.Shards.Keys)})");
        return splits.GetOrAdd(name, n => new Lazy<CorpusSplit>(() => new CorpusSplit(n, Directory, shards))).Value;
    }

    /// <summary>
    /// Checks the SHA-256 of every shard whose position in the manifest (all splits, in order) is <paramref name="part"/>
    /// modulo <paramref name="parts"/>, so the ranks of a job share the work: each reads 1/<paramref name="parts"/> of the
    /// corpus once per start. Hashing runs at disk or page-cache speed (SHA-256 in hardware where the CPU has it).
    /// </summary>
    public ShardVerification VerifyShards(int part = 0, int parts = 1, int threads = 1)
    {
        if (parts < 1 || part < 0 || part >= parts) throw new ArgumentException($"shard share {part} of {parts}: expected 0 <= part < parts");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var mine = Manifest.Shards.Values.SelectMany(list => list).Where((_, i) => i % parts == part).ToList();
        var recorded = mine.Where(s => s.Sha256 is not null).ToList();
        var problems = new System.Collections.Concurrent.ConcurrentBag<CorruptShardException>();
        long bytes = 0;
        Parallel.ForEach(recorded, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, shard =>
        {
            var path = Path.Combine(Directory, shard.File);
            if (!File.Exists(path))
            {
                problems.Add(new CorruptShardException(path, "missing"));
                return;
            }
            var actual = ShardChecksum.Of(path);
            Interlocked.Add(ref bytes, actual.Bytes);
            if (actual.Bytes != shard.Bytes) problems.Add(new CorruptShardException(path, $"{actual.Bytes} bytes, but the manifest records {shard.Bytes}"));
            else if (actual.Sha256 != shard.Sha256) problems.Add(new CorruptShardException(path, $"SHA-256 {actual.Sha256}, but the manifest records {shard.Sha256}"));
        });
        return new ShardVerification(recorded.Count, mine.Count - recorded.Count, bytes, started.Elapsed, [.. problems.OrderBy(p => p.Path, StringComparer.Ordinal)]);
    }

    public void Dispose()
    {
        foreach (var s in splits.Values) if (s.IsValueCreated) s.Value.Dispose();
    }
}
