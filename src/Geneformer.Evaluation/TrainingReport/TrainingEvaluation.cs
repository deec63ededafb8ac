using Geneformer.Evaluation.CellType;

namespace Geneformer.Evaluation.TrainingReport;

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
