using System.CommandLine;
using Geneformer.Common;
using Geneformer.Evaluation.CellType;
using Geneformer.Evaluation.Inference;
using Geneformer.Model;

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
        var benchmark = new CellTypeOptions(inputRequired: true);
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "Checkpoints or model folders to benchmark (repeatable); none = the PCA baseline only", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output") { Description = "Folder for report.md and celltype.png", Required = true };
        var shared = new ModelInputOptions();
        var command = new Command("celltype", "Cell-type classification benchmark: PCA baseline, random-weights baseline, and each checkpoint's embeddings; stratified k-fold accuracy and macro F1");
        foreach (var o in benchmark.All.Append(checkpoints).Append(output).Concat(shared.All)) command.Options.Add(o);
        command.SetAction(r =>
        {
            var kinds = benchmark.Classifiers(r);
            var k = benchmark.FoldCount(r);
            var embedOptions = benchmark.Embedding(r, shared);
            var sourceOptions = shared.SourceOptions(r);
            var input = r.GetValue(benchmark.Input)!;
            var seed = r.GetValue(benchmark.Seed);
            var cells = benchmark.Load(r, sourceOptions);
            var notes = CellTypeOptions.Notes(sourceOptions, cells, kinds);

            var sets = new List<FeatureSet> { benchmark.Pca(r, cells) };
            var paths = r.GetValue(checkpoints) ?? [];
            if (paths.Length > 0)
            {
                if (!cells.IsCounts) notes.Add("Embeddings were computed from a matrix that is not raw counts; Geneformer's tokenizer expects counts, so the ranks may differ from a counts-based run");
                var (device, precision) = shared.Runtime(r);
                var dirs = paths.Select(ModelCheckpoint.Resolve).ToArray();
                var first = ModelFolder.ReadConfig(dirs[0]);
                var firstSpec = TokenizerSpec.Resolve(dirs[0], first, shared.Overrides(r));
                using (var random = ModelCheckpoint.RandomlyInitialised(first, seed, device, precision))
                    sets.Add(new FixedFeatures("random-init", $"{Path.GetFileName(dirs[0])}'s architecture, random weights (seed {seed}), {embedOptions.Pooling.ToString().ToLowerInvariant()} embeddings",
                        LabelledEmbeddings.Of(random, firstSpec, embedOptions, input, sourceOptions, cells)));
                foreach (var dir in dirs)
                {
                    using var model = ModelCheckpoint.Load(dir, device, precision);
                    var spec = TokenizerSpec.Resolve(dir, model.Config, shared.Overrides(r));
                    var name = UniqueName(Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)), sets);
                    sets.Add(new FixedFeatures(name, $"{dir}, {embedOptions.Pooling.ToString().ToLowerInvariant()} embeddings (layer {embedOptions.Layer}, hidden {model.Config.HiddenSize})",
                        LabelledEmbeddings.Of(model, spec, embedOptions, input, sourceOptions, cells)));
                }
            }

            var results = CellTypeBenchmark.Run(sets, kinds, cells.Labels, cells.Classes.Length, k, seed, line => Console.Error.WriteLine(line));
            var folder = r.GetValue(output)!;
            CellTypeReport.Write(folder, cells, results, k, seed, notes);
            foreach (var x in results)
                Console.WriteLine($"{x.Model,-16} {x.Classifier.Name(),-7} accuracy {x.AccuracyStats.Mean:0.000} ± {x.AccuracyStats.Std:0.000}  macro F1 {x.MacroF1Stats.Mean:0.000} ± {x.MacroF1Stats.Std:0.000}");
            Console.WriteLine($"chance (majority class) {ClassificationMetrics.MajorityRate(cells.Labels):0.000}; wrote {Path.Combine(folder, CellTypeReport.MarkdownFile)} and {Path.Combine(folder, CellTypeReport.ChartFile)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string UniqueName(string name, List<FeatureSet> taken)
    {
        var candidate = name;
        for (var i = 2; taken.Any(s => s.Name == candidate); i++) candidate = $"{name}-{i}";
        return candidate;
    }
}
