namespace Geneformer.Evaluation.CellType;

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
