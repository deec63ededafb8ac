using System.CommandLine;
using Geneformer.Cli.CellType;
using Geneformer.Data.Matrix;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Evaluation;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer eval celltype</c>: the model card's classification benchmark. Baselines: (a) log-normalised
/// expression -> PCA -> classifier; (b) the first checkpoint's architecture with random weights -> embeddings ->
/// classifier; then (c) each checkpoint's embeddings -> classifier. Stratified k-fold CV; report.md + PNG.
/// </summary>
public static class EvalCellTypeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Labelled cells: .h5ad (or 10x input with labels)", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "obs column holding the cell type", Required = true };
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "Checkpoints or model folders to benchmark (repeatable); none = the PCA baseline only", AllowMultipleArgumentsPerToken = true };
        var folds = new Option<int>("--folds") { Description = "Stratified cross-validation folds", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for folds, classifiers and the random-weights baseline", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output") { Description = "Folder for report.md and celltype.png", Required = true };
        var classifier = new Option<string>("--classifier") { Description = "logreg (L-BFGS maximum entropy), forest (one-vs-all FastForest), or both", DefaultValueFactory = _ => "both" };
        var components = new Option<int>("--pca-components") { Description = "PCA components of the expression baseline", DefaultValueFactory = _ => 10 };
        var maxGenes = new Option<int>("--pca-genes") { Description = "Most variable genes (on each fold's training cells) fed to PCA", DefaultValueFactory = _ => 2000 };
        var pooling = new Option<string>("--pooling") { Description = "Embedding pooling: mean or cls", DefaultValueFactory = _ => "mean" };
        var layer = new Option<int>("--layer") { Description = "Hidden state to embed from (-1 = last)", DefaultValueFactory = _ => -1 };
        var shared = new ModelInputOptions();
        var command = new Command("celltype", "Cell-type classification benchmark: PCA baseline, random-weights baseline, and each checkpoint's embeddings; stratified k-fold accuracy and macro F1")
        {
            input, labelColumn, checkpoints, folds, seed, output, classifier, components, maxGenes, pooling, layer,
        };
        foreach (var o in shared.All) command.Options.Add(o);
        command.SetAction(r =>
        {
            var kinds = CellClassifier.Parse(r.GetValue(classifier)!);
            var k = r.GetValue(folds);
            if (k < 2) throw new ArgumentException($"--folds {k}: expected 2 or more");
            var embedOptions = new EmbeddingOptions(EmbeddingPoolings.Parse(r.GetValue(pooling)!), r.GetValue(layer), r.GetValue(shared.Batch));
            if (embedOptions.Pooling == EmbeddingPooling.Genes) throw new ArgumentException("--pooling genes gives no per-cell vector; use mean or cls");
            var sourceOptions = shared.SourceOptions(r);
            var cells = LabelledCells.Load(r.GetValue(input)!, r.GetValue(labelColumn)!, sourceOptions);
            var notes = new List<string>
            {
                $"Matrix read: --matrix {sourceOptions.Matrix}; " + (cells.IsCounts
                    ? "it holds counts, log-normalised as log1p(count / cell total x 10,000) for the PCA baseline"
                    : "it does not hold raw counts (non-integer or negative values), so the PCA baseline uses it as it is"),
                $"Classifiers: {string.Join(", ", kinds.Select(c => c == ClassifierKind.LogReg ? "logreg = ML.NET L-BFGS maximum entropy (L2 1.0)" : "forest = ML.NET one-vs-all over FastForest (100 trees, 20 leaves)"))}, on standardised features",
            };
            Console.Error.WriteLine($"{cells.Path}: {cells.Labels.Length} labelled cells, {cells.Classes.Length} classes in '{cells.LabelColumn}'; chance {ClassificationMetrics.MajorityRate(cells.Labels):0.000}");

            var sets = new List<FeatureSet> { new PcaFeatures("pca", (cells.IsCounts ? "log-normalised counts" : "matrix as read (not counts)") + $", PCA {r.GetValue(components)}", cells.Expression, r.GetValue(components), r.GetValue(maxGenes)) };
            var paths = r.GetValue(checkpoints) ?? [];
            if (paths.Length > 0)
            {
                if (!cells.IsCounts) notes.Add("Embeddings were computed from a matrix that is not raw counts; Geneformer's tokenizer expects counts, so the ranks may differ from a counts-based run");
                var (device, precision) = shared.Runtime(r);
                var dirs = paths.Select(ModelCheckpoint.Resolve).ToArray();
                var first = ModelFolder.ReadConfig(dirs[0]);
                var firstSpec = TokenizerSpec.Resolve(dirs[0], first, shared.Overrides(r));
                using (var random = ModelCheckpoint.RandomlyInitialised(first, r.GetValue(seed), device, precision))
                    sets.Add(new FixedFeatures("random-init", $"{Path.GetFileName(dirs[0])}'s architecture, random weights (seed {r.GetValue(seed)}), {embedOptions.Pooling.ToString().ToLowerInvariant()} embeddings",
                        Embed(random, firstSpec, embedOptions, r.GetValue(input)!, sourceOptions, cells)));
                foreach (var dir in dirs)
                {
                    using var model = ModelCheckpoint.Load(dir, device, precision);
                    var spec = TokenizerSpec.Resolve(dir, model.Config, shared.Overrides(r));
                    var name = UniqueName(Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)), sets);
                    sets.Add(new FixedFeatures(name, $"{dir}, {embedOptions.Pooling.ToString().ToLowerInvariant()} embeddings (layer {embedOptions.Layer}, hidden {model.Config.HiddenSize})",
                        Embed(model, spec, embedOptions, r.GetValue(input)!, sourceOptions, cells)));
                }
            }

            var results = CellTypeBenchmark.Run(sets, kinds, cells.Labels, cells.Classes.Length, k, r.GetValue(seed), line => Console.Error.WriteLine(line));
            var folder = r.GetValue(output)!;
            CellTypeReport.Write(folder, cells, results, k, r.GetValue(seed), notes);
            foreach (var x in results)
                Console.WriteLine($"{x.Model,-16} {x.Classifier.Name(),-7} accuracy {x.AccuracyStats.Mean:0.000} ± {x.AccuracyStats.Std:0.000}  macro F1 {x.MacroF1Stats.Mean:0.000} ± {x.MacroF1Stats.Std:0.000}");
            Console.WriteLine($"chance (majority class) {ClassificationMetrics.MajorityRate(cells.Labels):0.000}; wrote {Path.Combine(folder, CellTypeReport.MarkdownFile)} and {Path.Combine(folder, CellTypeReport.ChartFile)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The labelled cells' embeddings (rows in the order of <see cref="LabelledCells.FileRows"/>).</summary>
    private static float[][] Embed(BertForMaskedLM model, TokenizerSpec spec, EmbeddingOptions options, string input, CellSourceOptions sourceOptions, LabelledCells cells)
    {
        using var source = CellSources.Open(input, sourceOptions);
        if (spec.CreateTokenizer().MapColumns(source.GeneIds).MatchedColumns == 0)
            throw new InvalidDataException($"{source.Path}: none of its gene ids (e.g. '{source.GeneIds.FirstOrDefault()}') is in the model's vocabulary ({spec.Source}); give Ensembl ids (--gene-id-column) or map symbols (--gene-symbols)");
        var sink = new InMemoryEmbeddings();
        var summary = new CellEmbedder(model, spec, options).Run(source, sink, new ProgressLine("embed", true).Report);
        if (summary.EmptyCells > 0) Console.Error.WriteLine($"warning: {summary.EmptyCells} cells express no vocabulary gene; their embeddings are zero");
        var all = sink.ToArray();
        var hidden = sink.Hidden;
        return cells.FileRows.Select(row => all.AsSpan(row * hidden, hidden).ToArray()).ToArray();
    }

    private static string UniqueName(string name, List<FeatureSet> taken)
    {
        var candidate = name;
        for (var i = 2; taken.Any(s => s.Name == candidate); i++) candidate = $"{name}-{i}";
        return candidate;
    }
}
