namespace Geneformer.Cli.CellType;

/// <summary>Features for the classifier: fixed per cell (embeddings), or fitted on each fold's training cells (PCA).</summary>
public abstract record FeatureSet(string Name, string Description)
{
    /// <summary>Features of the training and test cells (indices into the labelled cells); anything fitted sees the training cells only.</summary>
    public abstract (float[][] Train, float[][] Test) ForFold(int[] train, int[] test);
}

public sealed record FixedFeatures(string Name, string Description, float[][] Rows) : FeatureSet(Name, Description)
{
    public override (float[][] Train, float[][] Test) ForFold(int[] train, int[] test) => (train.Select(i => Rows[i]).ToArray(), test.Select(i => Rows[i]).ToArray());
}

public sealed record PcaFeatures(string Name, string Description, SparseRows Expression, int Components, int MaxGenes) : FeatureSet(Name, Description)
{
    public override (float[][] Train, float[][] Test) ForFold(int[] train, int[] test)
    {
        var pca = PcaProjection.Fit(Expression, train, Components, MaxGenes);
        return (pca.Transform(Expression, train), pca.Transform(Expression, test));
    }
}

/// <summary>One model x classifier: accuracy and macro F1 of each fold.</summary>
public sealed record BenchmarkResult(string Model, string Description, ClassifierKind Classifier, double[] Accuracy, double[] MacroF1)
{
    public (double Mean, double Std) AccuracyStats => ClassificationMetrics.MeanStd(Accuracy);
    public (double Mean, double Std) MacroF1Stats => ClassificationMetrics.MeanStd(MacroF1);
}

/// <summary>Stratified k-fold cross-validation of every feature set with every classifier, on the same folds.</summary>
public static class CellTypeBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(IReadOnlyList<FeatureSet> sets, IReadOnlyList<ClassifierKind> classifiers, int[] labels, int classes, int folds, int seed, Action<string>? log = null)
    {
        var fold = StratifiedFolds.Assign(labels, folds, seed);
        var results = new List<BenchmarkResult>();
        foreach (var set in sets)
        {
            var accuracy = classifiers.ToDictionary(c => c, _ => new double[folds]);
            var f1 = classifiers.ToDictionary(c => c, _ => new double[folds]);
            for (var f = 0; f < folds; f++)
            {
                var train = Enumerable.Range(0, labels.Length).Where(i => fold[i] != f).ToArray();
                var test = Enumerable.Range(0, labels.Length).Where(i => fold[i] == f).ToArray();
                var (trainX, testX) = set.ForFold(train, test);
                var trainY = train.Select(i => labels[i]).ToArray();
                var testY = test.Select(i => labels[i]).ToArray();
                foreach (var c in classifiers)
                {
                    var predicted = CellClassifier.FitPredict(c, trainX, trainY, testX, classes, seed + f);
                    accuracy[c][f] = ClassificationMetrics.Accuracy(testY, predicted);
                    f1[c][f] = ClassificationMetrics.MacroF1(testY, predicted);
                }
            }
            foreach (var c in classifiers)
            {
                var r = new BenchmarkResult(set.Name, set.Description, c, accuracy[c], f1[c]);
                results.Add(r);
                log?.Invoke($"{r.Model} / {c.Name()}: accuracy {r.AccuracyStats.Mean:0.000} ± {r.AccuracyStats.Std:0.000}, macro F1 {r.MacroF1Stats.Mean:0.000} ± {r.MacroF1Stats.Std:0.000}");
            }
        }
        return results;
    }
}
