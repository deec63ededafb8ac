using Geneformer.Model;
using Geneformer.Training;

namespace Geneformer.Cli.Pretraining;

/// <summary>A resolved pretraining request: training config (preset + overrides), model, paths.</summary>
public sealed record PretrainRequest(TrainingConfig Config, BertConfig Model, string Corpus, string Checkpoints, string Resume, string Metrics, long? StopAfterStep);
