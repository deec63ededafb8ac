using Geneformer.Evaluation.CellType;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Metrics;

namespace Geneformer.Evaluation.TrainingReport;

/// <summary>
/// Puts what <c>eval training</c> measured beside the run's training curves: per checkpoint step, each classifier's
/// cell-type accuracy and macro F1 (the baselines as flat lines) and the held-out MLM loss, in the <c>eval</c>
/// subfolder of the run's TensorBoard folder (TensorBoard shows it as a run of its own). A new evaluation replaces
/// the previous one's events.
/// </summary>
public static class TrainingEvaluationEvents
{
    public const string Folder = "eval";

    /// <summary>Writes the events; returns the folder, or null when the run writes no TensorBoard logs (training.json's <c>tensorboard</c>).</summary>
    public static string? Write(TrainingEvaluation e, string newestCheckpoint)
    {
        var config = TrainingConfig.Load(Path.Combine(newestCheckpoint, CheckpointLayout.TrainingConfigFile));
        if (!config.TensorBoard) return null;
        var dir = Path.Combine(config.TensorBoardDir ?? Path.Combine(e.Checkpoints, "tensorboard"), Folder);
        var previous = Directory.Exists(dir) ? Directory.GetFiles(dir, "events.out.tfevents.*") : [];
        using (var board = new TensorBoardWriter(dir))
        {
            foreach (var step in e.Steps)
            {
                var values = new List<(string, double)>();
                foreach (var r in e.CellType.GetValueOrDefault(step) ?? []) values.AddRange(Scores($"celltype/{r.Classifier.Name()}", r));
                foreach (var b in e.Baselines) values.AddRange(Scores($"celltype/{b.Classifier.Name()}/{b.Model}", b));
                if (e.MlmScores.FirstOrDefault(s => s.Step == step) is { } mlm) values.Add(("mlm_loss", mlm.Loss));
                board.AddScalars(step, values);
            }
        }
        foreach (var old in previous) File.Delete(old);
        return dir;
    }

    private static IEnumerable<(string, double)> Scores(string prefix, BenchmarkResult r) =>
        [($"{prefix}/accuracy", r.AccuracyStats.Mean), ($"{prefix}/macro_f1", r.MacroF1Stats.Mean)];
}
