using System.CommandLine;
using Geneformer.Cli.Commands;
using Geneformer.Evaluation.CellType;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Cli.Commands;

/// <summary>The cell-type benchmark's options, shared by <c>eval celltype</c> and <c>eval training</c>: the labelled cells, the folds, the classifiers, the PCA baseline and the embeddings.</summary>
public sealed class CellTypeOptions(bool inputRequired)
{
    public Option<string?> Input { get; } = new("--input") { Description = "Labelled cells: .h5ad (or 10x input with labels)", Required = inputRequired };
    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "obs column holding the cell type", Required = inputRequired };
    public Option<int> Folds { get; } = new("--folds") { Description = "Stratified cross-validation folds", DefaultValueFactory = _ => 5 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for folds, classifiers and the random-weights baseline", DefaultValueFactory = _ => 0 };
    public Option<string> Classifier { get; } = new("--classifier") { Description = "logreg (L-BFGS maximum entropy), forest (one-vs-all FastForest), or both", DefaultValueFactory = _ => "both" };
    public Option<int> Components { get; } = new("--pca-components") { Description = "PCA components of the expression baseline", DefaultValueFactory = _ => 10 };
    public Option<int> PcaGenes { get; } = new("--pca-genes") { Description = "Most variable genes (on each fold's training cells) fed to PCA", DefaultValueFactory = _ => 2000 };
    public Option<string> Pooling { get; } = new("--pooling") { Description = "Embedding pooling: mean or cls", DefaultValueFactory = _ => "mean" };
    public Option<int> Layer { get; } = new("--layer") { Description = "Hidden state to embed from: -2 = the second-to-last (default, Geneformer's emb_layer=-1 for pretrained models), -1 = last, 0 = embedding layer, N = layer N", DefaultValueFactory = _ => EmbeddingOptions.DefaultLayer };

    public IEnumerable<Option> All => [Input, LabelColumn, Folds, Seed, Classifier, Components, PcaGenes, Pooling, Layer];

    public IReadOnlyList<ClassifierKind> Classifiers(ParseResult r) => CellClassifier.Parse(r.GetValue(Classifier)!);

    public int FoldCount(ParseResult r)
    {
        var k = r.GetValue(Folds);
        if (k < 2) throw new ArgumentException($"--folds {k}: expected 2 or more");
        return k;
    }

    public EmbeddingOptions Embedding(ParseResult r, ModelInputOptions model)
    {
        var options = new EmbeddingOptions(EmbeddingPoolings.Parse(r.GetValue(Pooling)!), r.GetValue(Layer), r.GetValue(model.Batch));
        if (options.Pooling == EmbeddingPooling.Genes) throw new ArgumentException("--pooling genes gives no per-cell vector; use mean or cls");
        return options;
    }

    public LabelledCells Load(ParseResult r, Geneformer.Data.Matrix.CellSourceOptions sourceOptions)
    {
        var column = r.GetValue(LabelColumn) ?? throw new ArgumentException("--label-column is required with --input: the obs column holding the cell type");
        var cells = LabelledCells.Load(r.GetValue(Input)!, column, sourceOptions);
        Console.Error.WriteLine($"{cells.Path}: {cells.Labels.Length} labelled cells, {cells.Classes.Length} classes in '{cells.LabelColumn}'; chance {ClassificationMetrics.MajorityRate(cells.Labels):0.000}");
        return cells;
    }

    public PcaFeatures Pca(ParseResult r, LabelledCells cells) =>
        new("pca", (cells.IsCounts ? "log-normalised counts" : "matrix as read (not counts)") + $", PCA {r.GetValue(Components)}", cells.Expression, r.GetValue(Components), r.GetValue(PcaGenes));

    /// <summary>How the benchmark was made, for the report.</summary>
    public static List<string> Notes(Geneformer.Data.Matrix.CellSourceOptions sourceOptions, LabelledCells cells, IReadOnlyList<ClassifierKind> kinds) =>
    [
        $"Matrix read: --matrix {sourceOptions.Matrix}; " + (cells.IsCounts
            ? "it holds counts, log-normalised as log1p(count / cell total x 10,000) for the PCA baseline"
            : "it does not hold raw counts (non-integer or negative values), so the PCA baseline uses it as it is"),
        $"Classifiers: {string.Join(", ", kinds.Select(c => c == ClassifierKind.LogReg ? "logreg = ML.NET L-BFGS maximum entropy (L2 1.0)" : "forest = ML.NET one-vs-all over FastForest (100 trees, 20 leaves)"))}, on standardised features",
    ];
}
