using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;
using Geneformer.Training;

namespace Geneformer.Bench;

/// <summary>
/// What the loader and padding stages share: a corpus's train split read as the trainer reads it, the trainer's
/// collator (default masking) and sample order, and one rank's batch geometry for the requested global batch, cut to
/// the whole micro batches the train split holds.
/// </summary>
public sealed class BenchLoading : IDisposable
{
    private readonly CorpusReader reader;

    public TrainingData Data { get; }
    public int MaxLength { get; }
    public MicroBatchCollator Collator { get; }
    public GlobalSampleOrder Order { get; }
    public BatchGeometry Geometry { get; }

    private BenchLoading(TrainingData data, CorpusReader reader, int microBatch, long globalBatch)
    {
        (Data, this.reader) = (data, reader);
        MaxLength = reader.Manifest.MaxLength;
        Collator = new MicroBatchCollator(data.Train, new MlmMasking(), data.Vocabulary, seed: 42, MaxLength);
        Order = new GlobalSampleOrder(data.Train.Count, 42);
        var global = Math.Max(microBatch, Math.Min(globalBatch, data.Train.Count) / microBatch * microBatch);
        Geometry = BatchGeometry.FromGlobal(global, microBatch, worldSize: 1);
    }

    public static BenchLoading Open(BenchCorpus corpus, int microBatch, long globalBatch)
    {
        var (data, reader) = CorpusTrainingData.Open(corpus.Directory);
        return new BenchLoading(data, reader, microBatch, globalBatch);
    }

    public void Dispose() => reader.Dispose();
}
