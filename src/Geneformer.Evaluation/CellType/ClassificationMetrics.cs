namespace Geneformer.Evaluation.CellType;

public static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) =>
        truth.Count == 0 ? double.NaN : truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Count;

    /// <summary>Unweighted mean of per-class F1 over the classes present in the truth or the predictions (scikit-learn's average='macro').</summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var classes = truth.Concat(predicted).Distinct().ToArray();
        if (classes.Length == 0) return double.NaN;
        return classes.Average(c =>
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < truth.Count; i++)
            {
                if (predicted[i] == c && truth[i] == c) tp++;
                else if (predicted[i] == c) fp++;
                else if (truth[i] == c) fn++;
            }
            return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
        });
    }

    /// <summary>Fraction of the most common class: the accuracy of always guessing it.</summary>
    public static double MajorityRate(IReadOnlyList<int> labels) =>
        labels.GroupBy(l => l).Max(g => g.Count()) / (double)labels.Count;

    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, std);
    }
}
