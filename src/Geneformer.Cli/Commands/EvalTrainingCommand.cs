using System.CommandLine;
using Geneformer.Common;
using Geneformer.Evaluation.CellType;
using Geneformer.Evaluation.TrainingReport;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer eval training</c>: scores every checkpoint of a run, so a user sees whether pretraining is worth
/// continuing: the cell-type benchmark of <c>eval celltype</c> (same folds for every checkpoint, PCA and random
/// weights as flat lines) and the held-out masked-LM loss of <c>eval mlm</c> (with the losses of frequency-only
/// predictors as flat lines), against the step. Writes report.md, accuracy.png, macro-f1.png, mlm-loss.png, scores.csv.
/// </summary>
public static class EvalTrainingCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--checkpoints") { Description = "A run's checkpoint directory: every committed checkpoint that verifies is scored (keep_last decides how many a run keeps)", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for report.md, accuracy.png, macro-f1.png, mlm-loss.png and scores.csv", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Prepared corpus whose split gives the held-out MLM loss (the run's corpus)" };
        var split = new Option<string>("--split") { Description = "Corpus split for the MLM loss: train, validation or test", DefaultValueFactory = _ => "test" };
        var mlmCells = new Option<long>("--mlm-cells") { Description = "Score the first N cells of the split (0 = all)", DefaultValueFactory = _ => 2000 };
        var mlmSeed = new Option<long>("--mlm-seed") { Description = "Masking seed of the MLM loss (the same masked tokens for every checkpoint)", DefaultValueFactory = _ => 1234 };
        var metrics = new Option<string?>("--metrics") { Description = "The run's metrics.jsonl, for the training loss on the MLM chart (default: CHECKPOINTS/metrics.jsonl when present)" };
        var benchmark = new CellTypeOptions(inputRequired: false);
        var shared = new ModelInputOptions();
        var command = new Command("training", "Score every checkpoint of a run: cell-type accuracy and macro F1 (PCA and random-weights baselines) and held-out MLM loss against the step; Markdown report and PNG charts");
        foreach (var o in new Option[] { run, output, corpus, split, mlmCells, mlmSeed, metrics }.Concat(benchmark.All).Concat(shared.All)) command.Options.Add(o);
        command.SetAction(r =>
        {
            var root = r.GetValue(run)!;
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"--checkpoints {root}: no such directory");
            var listed = new CheckpointStore(root).List();
            if (listed.Count == 0 && File.Exists(Path.Combine(root, CheckpointLayout.ManifestFile)))
                throw new ArgumentException($"--checkpoints {root} is one checkpoint; give the run's checkpoint directory (its parent) to score all of them, or use eval celltype / eval mlm");
            var notes = listed.Where(c => !c.Verified).Select(c => $"skipped {c.Path}: {string.Join("; ", c.Problems)}").ToList();
            var checkpoints = listed.Where(c => c.Verified).OrderBy(c => c.Step).ToList();
            if (checkpoints.Count == 0) throw new InvalidDataException($"{root}: no committed checkpoint that verifies" + (notes.Count > 0 ? $" ({string.Join("; ", notes)})" : ""));
            if (r.GetValue(metrics) is { } given && !File.Exists(given)) throw new FileNotFoundException($"--metrics {given}: no such file");
            var hasCells = r.GetValue(benchmark.Input) is not null;
            var corpusDir = r.GetValue(corpus);
            if (!hasCells && corpusDir is null) throw new ArgumentException("nothing to score: give --input and --label-column (cell types), --corpus (held-out MLM loss), or both");
            var steps = checkpoints.Select(c => c.Step).ToList();
            Console.Error.WriteLine($"{root}: {checkpoints.Count} checkpoints, steps {string.Join(", ", steps)}");
            var (device, precision) = shared.Runtime(r);

            MlmSetting? mlm = null;
            List<MlmScore> mlmScores = [];
            if (corpusDir is not null)
                (mlm, mlmScores) = RunScoring.HeldOutMlm(checkpoints,
                    new RunScoring.MlmRequest(corpusDir, r.GetValue(split)!, r.GetValue(mlmCells), r.GetValue(mlmSeed), r.GetValue(shared.Batch)), device, precision);

            LabelledCells? labelled = null;
            IReadOnlyList<BenchmarkResult> baselines = [];
            var byStep = new Dictionary<long, IReadOnlyList<BenchmarkResult>>();
            var k = benchmark.FoldCount(r);
            var seed = r.GetValue(benchmark.Seed);
            if (hasCells)
            {
                var kinds = benchmark.Classifiers(r);
                var sourceOptions = shared.SourceOptions(r);
                labelled = benchmark.Load(r, sourceOptions);
                notes.AddRange(CellTypeOptions.Notes(sourceOptions, labelled, kinds));
                var request = new RunScoring.CellTypeRequest(r.GetValue(benchmark.Input)!, sourceOptions, labelled, benchmark.Pca(r, labelled),
                    benchmark.Embedding(r, shared), shared.Overrides(r), kinds, k, seed);
                (baselines, byStep) = RunScoring.CellTypes(checkpoints, request, device, precision);
            }

            var metricsPath = r.GetValue(metrics) ?? Path.Combine(root, "metrics.jsonl");
            var trainLoss = File.Exists(metricsPath) ? RunScoring.TrainingLoss(metricsPath) : [];
            var evaluation = new TrainingEvaluation(root, steps, labelled, k, seed, baselines, byStep, mlm, mlmScores, trainLoss, notes);
            var folder = r.GetValue(output)!;
            var written = TrainingReportWriter.Write(folder, evaluation);
            PrintSummary(evaluation);
            Console.WriteLine($"wrote {string.Join(", ", written)}");
            if (TrainingEvaluationEvents.Write(evaluation, checkpoints[^1].Path) is { } events) Console.WriteLine($"TensorBoard: {events}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintSummary(TrainingEvaluation e)
    {
        if (e.Mlm is { } m) Console.WriteLine($"held-out MLM loss ({m.Split} split): frequency alone {m.UnigramLoss:0.000}, rank band {m.PositionLoss:0.000}");
        foreach (var b in e.Baselines)
            Console.WriteLine($"{(b.Model == "pca" ? "PCA baseline" : "random weights"),-16} {b.Classifier.Name(),-7} accuracy {b.AccuracyStats.Mean:0.000} ± {b.AccuracyStats.Std:0.000}  macro F1 {b.MacroF1Stats.Mean:0.000} ± {b.MacroF1Stats.Std:0.000}");
        foreach (var step in e.Steps)
        {
            var mlm = e.MlmScores.FirstOrDefault(x => x.Step == step) is { } s ? $"  MLM {s.Loss:0.0000}" : "";
            var results = e.CellType.GetValueOrDefault(step) ?? [];
            if (results.Count == 0) Console.WriteLine($"step {step,-10}{mlm}");
            foreach (var x in results)
                Console.WriteLine($"step {step,-10} {x.Classifier.Name(),-7} accuracy {x.AccuracyStats.Mean:0.000} ± {x.AccuracyStats.Std:0.000}  macro F1 {x.MacroF1Stats.Mean:0.000} ± {x.MacroF1Stats.Std:0.000}{mlm}");
        }
        foreach (var v in TrainingReportWriter.Verdicts(e)) Console.WriteLine(v);
    }
}
