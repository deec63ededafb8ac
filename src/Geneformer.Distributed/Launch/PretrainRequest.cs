using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.Training;

namespace Geneformer.Distributed.Launch;

/// <summary>A resolved pretraining request: training config (preset + overrides), model, paths.</summary>
public sealed record PretrainRequest(TrainingConfig Config, BertConfig Model, string Corpus, string Checkpoints, string Resume, string Metrics, long? StopAfterStep)
{
    /// <summary>Where every rank writes its micro batches (<see cref="BatchDump"/>); null for none.</summary>
    public string? DumpBatches { get; init; }

    /// <summary>Another run's checkpoint (or checkpoint directory) to start from while this run's has none (<c>--resume-from</c>).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The model folder a fresh run starts from (<c>--init-from</c>); null initialises.</summary>
    public string? InitFrom { get; init; }

    public BatchDump? Dump => DumpBatches is { } dir ? new BatchDump(dir) : null;

    /// <summary>
    /// Refuses a global batch that does not divide among <paramref name="ranks"/> ranks before any starts (each
    /// launch would meet it again); <paramref name="rankOptions"/> names the options that set the rank count.
    /// </summary>
    public void CheckBatchGeometry(int ranks, string rankOptions)
    {
        try
        {
            BatchGeometry.FromGlobal(Config.GlobalBatch, Config.MicroBatch, ranks);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{e.Message} ({ranks} ranks); change {rankOptions}, or --global-batch/--micro-batch", e);
        }
    }
}
