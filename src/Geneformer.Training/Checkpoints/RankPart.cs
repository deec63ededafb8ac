using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// ranks/rank-NNNNN.json: one rank's part of a checkpoint: its loader position and the digest of the weights
/// it holds. A checkpoint commits only when every rank's part is present, at the same step and position, with
/// the same weights.
/// </summary>
public sealed record RankPart(
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("consumed_samples")] long ConsumedSamples,
    [property: JsonPropertyName("weights_sha256")] string WeightsSha256)
{
    public string ToJson() => JsonSerializer.Serialize(this) + "\n";

    public static RankPart Read(string path) =>
        JsonSerializer.Deserialize<RankPart>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty rank part");

    /// <summary>Throws, naming what is wrong, unless all <paramref name="worldSize"/> parts agree.</summary>
    public static IReadOnlyList<RankPart> VerifyAll(string checkpointDir, int worldSize, long step)
    {
        var parts = new List<RankPart>();
        for (var r = 0; r < worldSize; r++)
        {
            var path = CheckpointLayout.RankPartPath(checkpointDir, r);
            if (!File.Exists(path)) throw new InvalidDataException($"checkpoint step {step}: rank {r}'s part ({path}) is missing");
            parts.Add(Read(path));
        }
        foreach (var p in parts)
        {
            if (p.Step != step || p.ConsumedSamples != parts[0].ConsumedSamples)
                throw new InvalidDataException($"checkpoint step {step}: rank {p.Rank} is at step {p.Step} / sample {p.ConsumedSamples}, rank 0 at {parts[0].Step} / {parts[0].ConsumedSamples}");
            if (p.WeightsSha256 != parts[0].WeightsSha256)
                throw new InvalidDataException($"checkpoint step {step}: rank {p.Rank}'s weights differ from rank 0's (ranks diverged)");
        }
        return parts;
    }
}
