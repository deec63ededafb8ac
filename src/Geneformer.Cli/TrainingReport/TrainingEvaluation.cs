using Geneformer.Cli.CellType;

namespace Geneformer.Cli.TrainingReport;

/// <summary>Held-out masked-LM loss of one checkpoint.</summary>
public sealed record MlmScore(long Step, double Loss, long MaskedTokens);

/// <summary>The held-out split the MLM losses were computed on, and what frequency-only predictors score there.</summary>
/// <param name="UnigramLoss">cross-entropy under the training cells' gene frequencies</param>
/// <param name="PositionLoss">cross-entropy under their frequencies in each 64-token rank band</param>
public sealed record MlmSetting(string Corpus, string Split, long Cells, long Seed, double UnigramLoss, double PositionLoss);

/// <summary>Everything <c>eval training</c> measured over a run's checkpoints: what the report and scores files show.</summary>
/// <param name="Steps">the checkpoints' steps, ascending</param>
/// <param name="Baselines">PCA and random weights, each classifier: flat lines</param>
/// <param name="CellType">per step, each classifier's result</param>
/// <param name="TrainLoss">the run's training loss from its metrics.jsonl (step, loss), when found</param>
public sealed record TrainingEvaluation(
    string Checkpoints,
    IReadOnlyList<long> Steps,
    LabelledCells? Cells,
    int Folds,
    int Seed,
    IReadOnlyList<BenchmarkResult> Baselines,
    IReadOnlyDictionary<long, IReadOnlyList<BenchmarkResult>> CellType,
    MlmSetting? Mlm,
    IReadOnlyList<MlmScore> MlmScores,
    IReadOnlyList<(long Step, double Loss)> TrainLoss,
    IReadOnlyList<string> Notes);
