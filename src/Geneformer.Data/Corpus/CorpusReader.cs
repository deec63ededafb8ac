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
        return splits.GetOrAdd(name, n => new Lazy<CorpusSplit>(() => new CorpusSplit(n, shards.Select(s => Path.Combine(Directory, s.File))))).Value;
    }

    public void Dispose()
    {
        foreach (var s in splits.Values) if (s.IsValueCreated) s.Value.Dispose();
    }
}
