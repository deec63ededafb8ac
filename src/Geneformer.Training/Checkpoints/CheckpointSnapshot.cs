using Geneformer.Model;
using Microsoft.IO;
using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// One rank's share of a checkpoint, copied into host memory at the step it is taken, so that writing and hashing it
/// can run beside training: every rank's weights (for its part's digest); on rank 0 also the optimizer state, trainer
/// state, training config and tokenizer files that make up the checkpoint.
/// </summary>
public sealed class CheckpointSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> weights;
    private readonly BertConfig modelConfig;
    private readonly RankFiles? rankZero;

    /// <summary>What rank 0 adds to the checkpoint beside the weights.</summary>
    private sealed record RankFiles(RecyclableMemoryStream Optimizer, string TrainerState, string TrainingConfig, IReadOnlyDictionary<string, string> TokenizerFiles);

    /// <summary>
    /// Host memory for the optimizer state: blocks that are kept for the next checkpoint rather than reallocated, and no
    /// 2 GiB cap (a MemoryStream's array is one, and regrowing it copies while training waits).
    /// </summary>
    private static readonly RecyclableMemoryStreamManager HostMemory = new();

    public TrainerState State { get; }
    public int Rank { get; }

    private CheckpointSnapshot(Dictionary<string, Tensor> weights, BertConfig modelConfig, RankFiles? rankZero, TrainerState state, int rank)
    {
        this.weights = weights;
        this.modelConfig = modelConfig;
        this.rankZero = rankZero;
        State = state;
        Rank = rank;
    }

    /// <summary>Copies what <paramref name="rank"/> writes; the model and optimizer may change as soon as this returns.</summary>
    public static CheckpointSnapshot Take(BertForMaskedLM model, TorchSharp.Modules.OptimizerHelper optimizer, TrainerState state, TrainingConfig config,
        IReadOnlyDictionary<string, string> tokenizerFiles, int rank)
    {
        RankFiles? files = null;
        if (rank == 0)
        {
            var optimizerState = HostMemory.GetStream("optimizer state");
            using (var writer = new BinaryWriter(optimizerState, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
            files = new RankFiles(optimizerState, state.ToJson(), config.ToJson(), tokenizerFiles);
        }
        return new CheckpointSnapshot(ModelFolder.CopyWeights(model), model.Config, files, state, rank);
    }

    /// <summary>Writes this rank's share into <paramref name="staging"/>: rank 0's files, then this rank's part, last.</summary>
    public void WriteInto(string staging)
    {
        if (rankZero is { } files)
        {
            ModelFolder.WriteInto(staging, modelConfig, weights);
            using (var file = File.Create(Path.Combine(staging, CheckpointLayout.OptimizerFile))) files.Optimizer.WriteTo(file);
            File.WriteAllText(Path.Combine(staging, CheckpointLayout.TrainerStateFile), files.TrainerState);
            File.WriteAllText(Path.Combine(staging, CheckpointLayout.TrainingConfigFile), files.TrainingConfig);
            var tokenizer = Directory.CreateDirectory(Path.Combine(staging, CheckpointLayout.TokenizerFolder)).FullName;
            foreach (var (name, source) in files.TokenizerFiles) File.Copy(source, Path.Combine(tokenizer, name));
        }
        var partPath = CheckpointLayout.RankPartPath(staging, Rank);
        Directory.CreateDirectory(Path.GetDirectoryName(partPath)!);
        var digest = WeightsDigest.Of(weights.Select(w => (w.Key, w.Value)));
        File.WriteAllText(partPath, new RankPart(Rank, State.Step, State.ConsumedSamples, digest).ToJson());
    }

    public void Dispose()
    {
        rankZero?.Optimizer.Dispose();
        foreach (var t in weights.Values) t.Dispose();
        weights.Clear();
    }
}
