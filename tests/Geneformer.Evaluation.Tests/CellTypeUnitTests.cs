using Geneformer.Evaluation.CellType;

namespace Geneformer.Evaluation.Tests;

public class CellTypeUnitTests
{
    [Fact]
    public void Stratified_folds_keep_class_proportions_and_are_seeded()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i < 80 ? 0 : 1).ToArray();
        var folds = StratifiedFolds.Assign(labels, 5, seed: 3);
        for (var f = 0; f < 5; f++)
        {
            Assert.Equal(16, Enumerable.Range(0, 100).Count(i => folds[i] == f && labels[i] == 0));
            Assert.Equal(4, Enumerable.Range(0, 100).Count(i => folds[i] == f && labels[i] == 1));
        }
        Assert.Equal(folds, StratifiedFolds.Assign(labels, 5, seed: 3));
        Assert.NotEqual(folds, StratifiedFolds.Assign(labels, 5, seed: 4));
    }

    [Fact]
    public void Macro_f1_and_accuracy_match_hand_computed_values()
    {
        int[] truth = [0, 0, 0, 1, 1, 2];
        int[] predicted = [0, 0, 1, 1, 2, 2];
        Assert.Equal(4 / 6.0, ClassificationMetrics.Accuracy(truth, predicted), 12);
        // class 0: tp 2 fp 0 fn 1 -> 0.8; class 1: tp 1 fp 1 fn 1 -> 0.5; class 2: tp 1 fp 1 fn 0 -> 2/3
        Assert.Equal((0.8 + 0.5 + 2 / 3.0) / 3, ClassificationMetrics.MacroF1(truth, predicted), 12);
        Assert.Equal(0.5, ClassificationMetrics.MajorityRate(truth));
    }

    [Fact]
    public void Classifiers_learn_separable_classes()
    {
        var random = new Random(1);
        float[] Point(int c) => [c * 4 + (float)random.NextDouble(), (float)random.NextDouble(), -c * 2 + (float)random.NextDouble()];
        var trainY = Enumerable.Range(0, 90).Select(i => i % 3).ToArray();
        var testY = Enumerable.Range(0, 30).Select(i => i % 3).ToArray();
        var trainX = trainY.Select(Point).ToArray();
        var testX = testY.Select(Point).ToArray();
        foreach (var kind in new[] { ClassifierKind.LogReg, ClassifierKind.Forest })
            Assert.Equal(testY, CellClassifier.FitPredict(kind, trainX, trainY, testX, 3, seed: 0));
    }
}
