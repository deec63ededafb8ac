using System.Globalization;
using System.Text;
using Geneformer.Evaluation.CellType;
using Geneformer.Common.IO;
using ScottPlot;

namespace Geneformer.Evaluation.TrainingReport;

/// <summary>
/// The report of <c>eval training</c>, in its output folder: <c>report.md</c> (the table by step and how it was made),
/// <c>accuracy.png</c> and <c>macro-f1.png</c> (each checkpoint's score against its step, with the PCA baseline and
/// random weights as flat lines), <c>mlm-loss.png</c> (held-out loss by step, the frequency-only lines, the training
/// loss) and <c>scores.csv</c> (one row per step and classifier).
/// </summary>
public static class TrainingReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string AccuracyChart = "accuracy.png";
    public const string MacroF1Chart = "macro-f1.png";
    public const string MlmChart = "mlm-loss.png";
    public const string ScoresFile = "scores.csv";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <returns>the files written</returns>
    public static IReadOnlyList<string> Write(string folder, TrainingEvaluation e)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        void Save(string name, Action<string> write)
        {
            var path = Path.Combine(folder, name);
            Durable.WriteVia(path, write);
            written.Add(path);
        }
        if (e.Cells is not null)
        {
            Save(AccuracyChart, tmp => ScoreChart(e, "accuracy", r => r.AccuracyStats).SavePng(tmp, 1000, 560));
            Save(MacroF1Chart, tmp => ScoreChart(e, "macro F1", r => r.MacroF1Stats).SavePng(tmp, 1000, 560));
        }
        if (e.Mlm is not null) Save(MlmChart, tmp => MlmLossChart(e).SavePng(tmp, 1000, 560));
        Save(ScoresFile, tmp => File.WriteAllText(tmp, Csv(e)));
        Save(MarkdownFile, tmp => File.WriteAllText(tmp, Markdown(e)));
        return written;
    }

    private static IEnumerable<ClassifierKind> Classifiers(TrainingEvaluation e) => e.Baselines.Select(b => b.Classifier).Distinct();

    private static BenchmarkResult? Baseline(TrainingEvaluation e, string model, ClassifierKind kind) =>
        e.Baselines.FirstOrDefault(b => b.Model == model && b.Classifier == kind);

    private static string Csv(TrainingEvaluation e)
    {
        var s = new StringBuilder("step,model,classifier,accuracy_mean,accuracy_std,macro_f1_mean,macro_f1_std,mlm_loss\n");
        string Row(string step, BenchmarkResult r, double? mlm) => string.Create(Inv,
            $"{step},{r.Model},{r.Classifier.Name()},{r.AccuracyStats.Mean:0.######},{r.AccuracyStats.Std:0.######},{r.MacroF1Stats.Mean:0.######},{r.MacroF1Stats.Std:0.######},{mlm:0.######}\n");
        foreach (var b in e.Baselines) s.Append(Row("", b, null));
        foreach (var step in e.Steps)
        {
            var mlm = e.MlmScores.FirstOrDefault(m => m.Step == step)?.Loss;
            var results = e.CellType.GetValueOrDefault(step) ?? [];
            if (results.Count == 0) s.Append(string.Create(Inv, $"{step},{CheckpointName(step)},,,,,,{mlm:0.######}\n"));
            foreach (var r in results) s.Append(Row(step.ToString(Inv), r, mlm));
        }
        return s.ToString();
    }

    /// <summary>
    /// For each classifier, the checkpoint with the best mean accuracy against random weights: what tells a user whether
    /// pretraining has yet given the embeddings anything a random network's do not have.
    /// </summary>
    public static IEnumerable<string> Verdicts(TrainingEvaluation e)
    {
        foreach (var kind in Classifiers(e))
        {
            if (Baseline(e, "random-init", kind) is not { } random) continue;
            var best = e.Steps.Select(s => (Step: s, Result: e.CellType.GetValueOrDefault(s)?.FirstOrDefault(r => r.Classifier == kind)))
                .Where(x => x.Result is not null).MaxBy(x => x.Result!.AccuracyStats.Mean);
            if (best.Result is null) continue;
            var (a, r) = (best.Result.AccuracyStats, random.AccuracyStats);
            var (f, rf) = (best.Result.MacroF1Stats, random.MacroF1Stats);
            var word = a.Mean > r.Mean ? "above" : a.Mean < r.Mean ? "below" : "level with";
            yield return string.Create(Inv, $"{kind.Name()}: best checkpoint step {best.Step}, accuracy {a.Mean:0.000} ± {a.Std:0.000}, {word} random weights' {r.Mean:0.000} ± {r.Std:0.000} " +
                $"({a.Mean - r.Mean:+0.000;-0.000;0.000}); macro F1 {f.Mean:0.000} against {rf.Mean:0.000} ({f.Mean - rf.Mean:+0.000;-0.000;0.000})");
        }
    }

    public static string CheckpointName(long step) => Training.Checkpoints.CheckpointStore.DirectoryName(step);

    private static string Markdown(TrainingEvaluation e)
    {
        var s = new StringBuilder();
        s.AppendLine("# Pretraining, checkpoint by checkpoint").AppendLine();
        s.AppendLine(Inv, $"- Run: `{e.Checkpoints}`, {e.Steps.Count} checkpoints (steps {string.Join(", ", e.Steps)})");
        if (e.Cells is { } cells)
        {
            s.AppendLine(Inv, $"- Cell types: `{cells.Path}`, label column `{cells.LabelColumn}`: {cells.Labels.Length} labelled cells, {cells.Classes.Length} classes; chance (majority class) {ClassificationMetrics.MajorityRate(cells.Labels):0.000}");
            s.AppendLine(Inv, $"- Stratified {e.Folds}-fold cross-validation, seed {e.Seed}, the same folds for every model; mean embeddings over gene tokens; PCA and standardisation fitted on each fold's training cells only");
        }
        if (e.Mlm is { } m)
            s.AppendLine(Inv, $"- Held-out masked-LM loss: the {m.Split} split of `{m.Corpus}`, {m.Cells:N0} cells, masking seed {m.Seed}. Predicting each masked gene from its frequency in the training cells scores {m.UnigramLoss:0.000} there; from its frequency in its 64-token rank band, {m.PositionLoss:0.000}");
        foreach (var n in e.Notes) s.AppendLine(Inv, $"- {n}");
        s.AppendLine();

        var kinds = Classifiers(e).ToList();
        var header = new List<string> { "step" };
        if (e.Mlm is not null) header.Add("held-out MLM loss");
        foreach (var k in kinds) header.AddRange([$"{k.Name()} accuracy", $"{k.Name()} macro F1"]);
        s.AppendLine("| " + string.Join(" | ", header) + " |");
        s.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        string Cell((double Mean, double Std) v) => string.Create(Inv, $"{v.Mean:0.000} ± {v.Std:0.000}");
        foreach (var model in new[] { "pca", "random-init" })
        {
            if (!kinds.Any(k => Baseline(e, model, k) is not null)) continue;
            var row = new List<string> { model == "pca" ? "PCA baseline" : "random weights" };
            if (e.Mlm is not null) row.Add("");
            foreach (var k in kinds)
                row.AddRange(Baseline(e, model, k) is { } b ? [Cell(b.AccuracyStats), Cell(b.MacroF1Stats)] : ["", ""]);
            s.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        foreach (var step in e.Steps)
        {
            var row = new List<string> { step.ToString(Inv) };
            if (e.Mlm is not null) row.Add(e.MlmScores.FirstOrDefault(x => x.Step == step) is { } ml ? ml.Loss.ToString("0.0000", Inv) : "");
            var results = e.CellType.GetValueOrDefault(step) ?? [];
            foreach (var k in kinds)
                row.AddRange(results.FirstOrDefault(r => r.Classifier == k) is { } r ? [Cell(r.AccuracyStats), Cell(r.MacroF1Stats)] : ["", ""]);
            s.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        s.AppendLine();
        foreach (var v in Verdicts(e)) s.AppendLine(Inv, $"- {v}");
        s.AppendLine();
        if (e.Cells is not null) s.AppendLine(Inv, $"![accuracy by step]({AccuracyChart})").AppendLine().AppendLine(Inv, $"![macro F1 by step]({MacroF1Chart})").AppendLine();
        if (e.Mlm is not null) s.AppendLine(Inv, $"![held-out MLM loss by step]({MlmChart})");
        return s.ToString();
    }

    private static readonly Color[] ClassifierColors = [Colors.SteelBlue, Colors.DarkOrange];

    private static Plot ScoreChart(TrainingEvaluation e, string metric, Func<BenchmarkResult, (double Mean, double Std)> value)
    {
        var plot = new Plot();
        var xs = e.Steps.Select(s => (double)s).ToArray();
        var kinds = Classifiers(e).ToList();
        for (var i = 0; i < kinds.Count; i++)
        {
            var kind = kinds[i];
            var color = ClassifierColors[i % ClassifierColors.Length];
            var points = e.Steps.Select(s => e.CellType.GetValueOrDefault(s)?.FirstOrDefault(r => r.Classifier == kind)).ToArray();
            var ys = points.Select(p => p is null ? double.NaN : value(p).Mean).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = $"pretrained, {kind.Name()}";
            line.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(p => p is null ? 0 : value(p).Std).ToArray());
            bars.Color = color;
            foreach (var (model, pattern, label) in new[] { ("pca", LinePattern.Dashed, "PCA baseline"), ("random-init", LinePattern.Dotted, "random weights") })
                if (Baseline(e, model, kind) is { } b)
                {
                    var flat = plot.Add.HorizontalLine(value(b).Mean);
                    flat.Color = color;
                    flat.LinePattern = pattern;
                    flat.LegendText = $"{label}, {kind.Name()} ({value(b).Mean:0.000})";
                }
        }
        var chance = plot.Add.HorizontalLine(ClassificationMetrics.MajorityRate(e.Cells!.Labels));
        chance.Color = Colors.Gray;
        chance.LinePattern = LinePattern.DenselyDashed;
        chance.LegendText = "chance (majority class)";
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title($"Cell-type {metric} by pretraining step ({e.Cells.LabelColumn}, {e.Folds}-fold)");
        plot.XLabel("step");
        plot.YLabel(metric);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot MlmLossChart(TrainingEvaluation e)
    {
        var plot = new Plot();
        var m = e.Mlm!;
        if (e.TrainLoss.Count > 0)
        {
            var train = plot.Add.ScatterLine(e.TrainLoss.Select(p => (double)p.Step).ToArray(), e.TrainLoss.Select(p => p.Loss).ToArray(), Colors.LightGray);
            train.LegendText = "training loss";
        }
        var held = plot.Add.Scatter(e.MlmScores.Select(p => (double)p.Step).ToArray(), e.MlmScores.Select(p => p.Loss).ToArray(), Colors.SteelBlue);
        held.LegendText = $"held-out ({m.Split} split)";
        held.MarkerSize = 7;
        foreach (var (loss, label, pattern) in new[] { (m.UnigramLoss, "gene frequency alone", LinePattern.Dashed), (m.PositionLoss, "frequency in rank band", LinePattern.Dotted) })
        {
            var flat = plot.Add.HorizontalLine(loss);
            flat.Color = Colors.FireBrick;
            flat.LinePattern = pattern;
            flat.LegendText = $"{label} ({loss:0.000})";
        }
        plot.Title("Masked-LM loss by pretraining step");
        plot.XLabel("step");
        plot.YLabel("loss (nats per masked gene)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
