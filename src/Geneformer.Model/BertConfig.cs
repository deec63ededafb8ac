using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Model;

/// <summary>
/// BERT hyperparameters, serialised with Hugging Face <c>config.json</c> names so a Hugging Face
/// Geneformer folder's config reads as-is and ours loads in <c>transformers</c>.
/// </summary>
public sealed record BertConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 25_429;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; } = 6;
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; } = 4;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 512;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 2048;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "relu";
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.02;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    /// <summary>0 = no token-type embeddings (Geneformer needs none); Hugging Face BERT checkpoints carry 2.</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; }
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["BertForMaskedLM"];
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";

    public int HeadDim => HiddenSize / NumHeads;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static BertConfig FromJson(string json, string source)
    {
        BertConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<BertConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid model config ({e.Message})", e);
        }
        if (config is null) throw new InvalidDataException($"{source}: empty model config");
        config.Validate(source);
        return config;
    }

    public static BertConfig Load(string path) => FromJson(File.ReadAllText(path), path);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Validate(string source)
    {
        var check = new Geneformer.Common.ConfigCheck(source);
        check.Require(VocabSize > 0, "vocab_size", VocabSize, "a positive integer");
        check.Require(HiddenSize > 0, "hidden_size", HiddenSize, "a positive integer");
        check.Require(NumLayers > 0, "num_hidden_layers", NumLayers, "a positive integer");
        check.Require(NumHeads > 0 && HiddenSize % NumHeads == 0, "num_attention_heads", NumHeads, $"a positive divisor of hidden_size ({HiddenSize})");
        check.Require(IntermediateSize > 0, "intermediate_size", IntermediateSize, "a positive integer");
        check.Require(MaxPositions > 0, "max_position_embeddings", MaxPositions, "a positive integer");
        check.Require(HiddenAct is "relu" or "gelu", "hidden_act", HiddenAct, "\"relu\" or \"gelu\"");
        check.Require(HiddenDropout is >= 0 and < 1, "hidden_dropout_prob", HiddenDropout, "a value in [0, 1)");
        check.Require(AttentionDropout is >= 0 and < 1, "attention_probs_dropout_prob", AttentionDropout, "a value in [0, 1)");
        check.Require(LayerNormEps > 0, "layer_norm_eps", LayerNormEps, "a positive number");
        check.Require(TypeVocabSize >= 0, "type_vocab_size", TypeVocabSize, "0 or more");
        check.Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", PadTokenId, $"a token id below vocab_size ({VocabSize})");
        check.Require(PositionEmbeddingType == "absolute", "position_embedding_type", PositionEmbeddingType, "\"absolute\"");
    }
}
