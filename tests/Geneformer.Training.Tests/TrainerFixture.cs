using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.TestSupport;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Parallel;

namespace Geneformer.Training.Tests;

internal static class TrainerFixture
{
    public const int Vocab = 40;

    public static BertConfig Model => new() { VocabSize = Vocab, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 32 };

    public static TrainingConfig Config => new()
    {
        Model = "test", MicroBatch = 4, GlobalBatch = 8, MaxSteps = 12, LearningRate = 3e-3, WarmupSteps = 2, CheckpointEvery = 4,
        EvalEvery = 6, EvalCells = 16, KeepLast = 2, Threads = 1, Device = "cpu", Seed = 5, PrefetchSteps = 2,
    };

    public static TrainingData Data(int trainCells = 64)
    {
        var all = LearnableCells.Learnable(trainCells + 32, Vocab, seed: 1);
        var (train, validation) = (new InMemoryCells(all[..trainCells]), new InMemoryCells(all[trainCells..]));
        return new("in-memory test cells", train, validation,
            new MaskingVocabulary(Vocab, padTokenId: 0, maskTokenId: 1, []), new Dictionary<string, string>());
    }

    public static TrainResult Train(TrainingConfig config, string checkpoints, ResumeFrom resume, StopSignal? stop = null, TrainingData? data = null)
    {
        using var trainer = new Trainer(config, Model, data ?? Data(), new CheckpointStore(checkpoints), new SingleProcessCollectives(), TextWriter.Null, stop ?? new StopSignal());
        return trainer.Run(resume);
    }
}
