using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Data.Corpus;

/// <summary>manifest.json of a prepared corpus: how it was made (inputs with checksums, settings) and what it holds. No timestamps, so the same inputs and seed give the same bytes.</summary>
public sealed class CorpusManifest
{
    public const string FileName = "manifest.json";
    public const string VocabularyFileName = "vocab.tsv";
    public const string MediansFileName = "medians.tsv";
    public static readonly string[] SplitNames = ["train", "validation", "test"];

    public int FormatVersion { get; init; } = 1;
    public required string TokenMode { get; init; }
    public required int MaxLength { get; init; }
    public required int VocabularySize { get; init; }
    public required string VocabularySource { get; init; }
    public required string MediansSource { get; init; }
    public required string MedianMethod { get; init; }
    /// <summary>The symbol → Ensembl dictionary gene ids were mapped with; null when none was used.</summary>
    public string? GeneSymbolsSource { get; init; }
    /// <summary>Relative error bound of the sketch medians; null when exact or imported.</summary>
    public double? MedianRelativeAccuracy { get; init; }
    public required string Filter { get; init; }
    public required ulong Seed { get; init; }
    public required SplitPlanInfo Split { get; init; }
    public required IReadOnlyList<InputFileInfo> Inputs { get; init; }
    public required IReadOnlyDictionary<string, long> Counts { get; init; }
    public required IReadOnlyList<DatasetCounts> Datasets { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<ShardInfo>> Shards { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // plain quotes and apostrophes in notes and assay names
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static CorpusManifest Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: not a prepared corpus directory", path);
        try
        {
            return JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid corpus manifest ({e.Message})", e);
        }
    }
}
