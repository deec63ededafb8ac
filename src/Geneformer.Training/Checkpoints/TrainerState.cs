using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// trainer_state.json: where training stands after <see cref="Step"/> optimizer steps. The learning rate is a
/// function of the step and the data order of (seed, step), so this plus weights and optimizer state is all a resume needs.
/// </summary>
public sealed record TrainerState
{
    /// <summary>Optimizer steps completed (the next step to run).</summary>
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("consumed_samples")] public long ConsumedSamples { get; init; }
    [JsonPropertyName("epoch")] public long Epoch { get; init; }
    [JsonPropertyName("global_batch")] public long GlobalBatch { get; init; }
    [JsonPropertyName("world_size")] public int WorldSize { get; init; }
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
    [JsonPropertyName("train_loss")] public double? TrainLoss { get; init; }
    [JsonPropertyName("validation_loss")] public double? ValidationLoss { get; init; }
    [JsonPropertyName("best_validation_loss")] public double? BestValidationLoss { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The state after one more optimizer step over a global batch of <paramref name="globalBatch"/> cells holding <paramref name="realTokens"/> tokens.</summary>
    public TrainerState AfterStep(long globalBatch, long trainCells, long realTokens)
    {
        var consumed = (Step + 1) * globalBatch;
        return this with { Step = Step + 1, ConsumedSamples = consumed, Epoch = (consumed - 1) / trainCells, TokensSeen = TokensSeen + realTokens };
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainerState Read(string checkpointDir)
    {
        var path = Path.Combine(checkpointDir, CheckpointLayout.TrainerStateFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{checkpointDir}: no {CheckpointLayout.TrainerStateFile}");
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path}: empty");
    }

    public static double? TryReadValidationLoss(string checkpointDir)
    {
        try { return Read(checkpointDir).ValidationLoss; }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException) { return null; }
    }
}
