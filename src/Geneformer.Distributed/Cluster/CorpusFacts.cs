using System.Text.Json;

namespace Geneformer.Distributed.Cluster;

/// <summary>What the coordinator needs from a prepared corpus: the train split's cell count (and its shards' row counts), from manifest.json.</summary>
public sealed record CorpusFacts(long TrainCells, long[] TrainShardRows)
{
    public const string ManifestFile = "manifest.json";

    public static CorpusFacts Read(string corpusDirectory)
    {
        var path = Path.Combine(corpusDirectory, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: not a prepared corpus directory", path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (!root.TryGetProperty("counts", out var counts) || !counts.TryGetProperty("train", out var train) || !train.TryGetInt64(out var cells))
                throw new InvalidDataException($"{path}: no integer 'counts.train' (the train split's cell count)");
            if (cells <= 0) throw new InvalidDataException($"{path}: 'counts.train' is {cells}; the train split has no cells");
            var shards = root.TryGetProperty("shards", out var s) && s.TryGetProperty("train", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(x => x.GetProperty("rows").GetInt64()).ToArray()
                : [];
            if (shards.Length > 0 && shards.Sum() != cells)
                throw new InvalidDataException($"{path}: 'shards.train' rows sum to {shards.Sum()} but 'counts.train' is {cells}");
            return new CorpusFacts(cells, shards);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a valid corpus manifest ({e.Message})", e);
        }
    }
}
