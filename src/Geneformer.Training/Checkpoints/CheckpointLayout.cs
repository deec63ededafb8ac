using Geneformer.Model;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// What a checkpoint folder (<c>step-NNNNNN/</c>) holds, by name: the model folder (<see cref="ModelFolder.ConfigFile"/>,
/// <see cref="ModelFolder.WeightsFile"/>), the optimizer state, the trainer state, the training configuration, the
/// tokenizer files, each rank's part and the manifest of checksums over all of them.
/// </summary>
public static class CheckpointLayout
{
    /// <summary>TorchSharp's AdamW state (<c>save_state_dict</c>).</summary>
    public const string OptimizerFile = "optimizer.bin";
    public const string TrainerStateFile = "trainer_state.json";
    public const string TrainingConfigFile = "training.json";
    /// <summary>The corpus's vocabulary, medians and manifest, so the model tokenizes new cells as it was trained.</summary>
    public const string TokenizerFolder = "tokenizer";
    public const string ManifestFile = "manifest.json";
    public const string RanksFolder = "ranks";

    /// <summary>The file in which rank <paramref name="rank"/> records its part of a checkpoint (its loader position and weights digest).</summary>
    public static string RankPartPath(string checkpointDir, int rank) => Path.Combine(checkpointDir, RanksFolder, $"rank-{rank:D5}.json");
}
