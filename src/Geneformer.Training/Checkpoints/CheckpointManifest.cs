using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Training.Checkpoints;

/// <summary>manifest.json of a checkpoint: its step and the SHA-256 of every other file in it.</summary>
public sealed record CheckpointManifest
{
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; }
    [JsonPropertyName("files")] public SortedDictionary<string, ManifestFile> Files { get; init; } = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static CheckpointManifest Build(string dir, long step)
    {
        var files = new SortedDictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(dir, path).Replace('\\', '/');
            if (rel == CheckpointLayout.ManifestFile) continue;
            files[rel] = new ManifestFile(Sha256(path), new FileInfo(path).Length);
        }
        return new CheckpointManifest { Step = step, CreatedUtc = DateTime.UtcNow, Files = files };
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static CheckpointManifest Read(string dir)
    {
        var path = Path.Combine(dir, CheckpointLayout.ManifestFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{dir}: no {CheckpointLayout.ManifestFile}");
        try
        {
            return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable ({e.Message})", e);
        }
    }

    /// <summary>Every problem found: missing files, size or checksum mismatches. Empty = verified.</summary>
    public IReadOnlyList<string> Verify(string dir)
    {
        var problems = new List<string>();
        foreach (var (rel, expected) in Files)
        {
            var path = Path.Combine(dir, rel);
            if (!File.Exists(path)) { problems.Add($"{rel} is missing"); continue; }
            var size = new FileInfo(path).Length;
            if (size != expected.Bytes) { problems.Add($"{rel} has {size} bytes, manifest says {expected.Bytes}"); continue; }
            if (Sha256(path) != expected.Sha256) problems.Add($"{rel} fails its SHA-256 check");
        }
        return problems;
    }

    public static string Sha256(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
