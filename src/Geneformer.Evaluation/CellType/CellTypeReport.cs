using System.Globalization;
using System.Text;
using Geneformer.Common.IO;
using ScottPlot;

namespace Geneformer.Evaluation.CellType;

/// <summary>report.md (the table and how it was made) and celltype.png (bars with fold standard deviations) in the output folder.</summary>
public static class CellTypeReport
{
    public const string MarkdownFile = "report.md";
    public const string ChartFile = "celltype.png";

    public static void Write(string folder, LabelledCells cells, IReadOnlyList<BenchmarkResult> results, int folds, int seed, IReadOnlyList<string> notes)
    {
        Directory.CreateDirectory(folder);
        var chance = ClassificationMetrics.MajorityRate(cells.Labels);
        Durable.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown(cells, results, folds, seed, chance, notes));
        Durable.WriteVia(Path.Combine(folder, ChartFile), tmp => Chart(results, chance, cells.LabelColumn).SavePng(tmp, 1000, 560));
    }

    private static string Markdown(LabelledCells cells, IReadOnlyList<BenchmarkResult> results, int folds, int seed, double chance, IReadOnlyList<string> notes)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# Cell-type classification benchmark").AppendLine();
        s.AppendLine(inv, $"- Input: `{cells.Path}`, label column `{cells.LabelColumn}`: {cells.Labels.Length} labelled cells of {cells.FileCells}, {cells.Classes.Length} classes");
        s.AppendLine(inv, $"- Classes: {string.Join(", ", cells.Classes.Select((c, i) => $"{c} ({cells.Labels.Count(l => l == i)})"))}");
        s.AppendLine(inv, $"- Chance (majority-class rate): {chance:0.000}");
        s.AppendLine(inv, $"- Stratified {folds}-fold cross-validation, seed {seed}; PCA and standardisation fitted on each fold's training cells only");
        foreach (var n in notes) s.AppendLine(inv, $"- {n}");
        s.AppendLine();
        s.AppendLine("| model | features | classifier | accuracy (mean ± std) | macro F1 (mean ± std) |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var r in results)
            s.AppendLine(inv, $"| {r.Model} | {r.Description} | {r.Classifier.Name()} | {r.AccuracyStats.Mean:0.000} ± {r.AccuracyStats.Std:0.000} | {r.MacroF1Stats.Mean:0.000} ± {r.MacroF1Stats.Std:0.000} |");
        s.AppendLine();
        s.AppendLine("Per fold (accuracy / macro F1):").AppendLine();
        foreach (var r in results)
            s.AppendLine(inv, $"- {r.Model} / {r.Classifier.Name()}: {string.Join(", ", r.Accuracy.Zip(r.MacroF1).Select(p => $"{p.First:0.000}/{p.Second:0.000}"))}");
        s.AppendLine().AppendLine(inv, $"![bar chart]({ChartFile})");
        return s.ToString();
    }

    private static Plot Chart(IReadOnlyList<BenchmarkResult> results, double chance, string labelColumn)
    {
        var plot = new Plot();
        var accuracyColor = Colors.SteelBlue;
        var f1Color = Colors.DarkOrange;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var x = i * 3.0;
            bars.Add(new Bar { Position = x, Value = r.AccuracyStats.Mean, Error = r.AccuracyStats.Std, FillColor = accuracyColor });
            bars.Add(new Bar { Position = x + 1, Value = r.MacroF1Stats.Mean, Error = r.MacroF1Stats.Std, FillColor = f1Color });
            ticks.Add(new Tick(x + 0.5, $"{r.Model}\n{r.Classifier.Name()}"));
        }
        plot.Add.Bars(bars);
        var line = plot.Add.HorizontalLine(chance);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Gray;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title($"Cell-type classification ({labelColumn})");
        plot.YLabel("score");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "accuracy", FillColor = accuracyColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "macro F1", FillColor = f1Color });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"chance {chance:0.00}", LineColor = Colors.Gray, LinePattern = LinePattern.Dashed });
        plot.ShowLegend();
        return plot;
    }
}
