using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Geneformer.Evaluation.CellType;

public static class CellClassifier
{
    public static IReadOnlyList<ClassifierKind> Parse(string name) => name.ToLowerInvariant() switch
    {
        "logreg" => [ClassifierKind.LogReg],
        "forest" => [ClassifierKind.Forest],
        "both" => [ClassifierKind.LogReg, ClassifierKind.Forest],
        _ => throw new ArgumentException($"--classifier {name}: expected logreg, forest or both"),
    };

    public static string Name(this ClassifierKind kind) => kind == ClassifierKind.LogReg ? "logreg" : "forest";

    private sealed class Row
    {
        public uint Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    /// <summary>Fits on the training rows and predicts the class index of each test row. Single-threaded and seeded: deterministic.</summary>
    public static int[] FitPredict(ClassifierKind kind, float[][] trainX, int[] trainY, float[][] testX, int classes, int seed)
    {
        var ml = new MLContext(seed);
        var dim = trainX[0].Length;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        // A key column loaded from objects takes 0-based class indices; read back raw, keys are 1-based (0 = missing).
        var train = ml.Data.LoadFromEnumerable(trainX.Select((x, i) => new Row { Features = x, Label = (uint)trainY[i] }).ToList(), schema);
        var test = ml.Data.LoadFromEnumerable(testX.Select(x => new Row { Features = x, Label = 0 }).ToList(), schema);

        IEstimator<ITransformer> trainer = kind switch
        {
            ClassifierKind.LogReg => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                NumberOfThreads = 1, L2Regularization = 1f, MaximumNumberOfIterations = 200,
            }),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                NumberOfThreads = 1, NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 2, Seed = seed,
            }), useProbabilities: false),
        };
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)).Append(trainer);
        var model = pipeline.Fit(train);
        return model.Transform(test).GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
    }
}
