namespace Geneformer.Evaluation.CellType;

/// <summary>One model x classifier: accuracy and macro F1 of each fold.</summary>
public sealed record BenchmarkResult(string Model, string Description, ClassifierKind Classifier, double[] Accuracy, double[] MacroF1)
{
    public (double Mean, double Std) AccuracyStats => ClassificationMetrics.MeanStd(Accuracy);
    public (double Mean, double Std) MacroF1Stats => ClassificationMetrics.MeanStd(MacroF1);
}
