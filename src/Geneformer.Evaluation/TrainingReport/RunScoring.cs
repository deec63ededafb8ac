using System.Text.Json;
using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;
using Geneformer.Data.Matrix;
using Geneformer.Evaluation.CellType;
using Geneformer.Evaluation.Inference;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Learning;
using static TorchSharp.torch;

namespace Geneformer.Evaluation.TrainingReport;

/// <summary>
/// <c>eval training</c>'s scores of every checkpoint of a run: the held-out masked-LM loss (with the losses of
/// frequency-only predictors as flat lines), the cell-type benchmark (same folds for every checkpoint, PCA and random
/// weights as flat lines), and the run's own training loss.
/// </summary>
public static class RunScoring
{
    public sealed record MlmRequest(string Corpus, string Split, long Cells, long Seed, int Batch);

    public sealed record CellTypeRequest(
        string Input, CellSourceOptions Source, LabelledCells Cells, FeatureSet Pca, EmbeddingOptions Embedding,
        TokenizerSpec.Overrides Tokenizer, IReadOnlyList<ClassifierKind> Classifiers, int Folds, int Seed);

    /// <summary>Every checkpoint's held-out MLM loss on the same masked tokens, and the frequency-only reference losses.</summary>
    public static (MlmSetting Setting, List<MlmScore> Scores) HeldOutMlm(IReadOnlyList<CheckpointInfo> checkpoints, MlmRequest request, Device device, ComputePrecision precision)
    {
        using var reader = CorpusReader.Open(request.Corpus);
        var cells = reader.Split(request.Split);
        if (cells.Count == 0) throw new InvalidDataException($"{reader.Directory}: the {request.Split} split has no cells");
        var vocab = reader.Vocabulary;
        var maskingVocab = new MaskingVocabulary(vocab.Count, vocab.PadId, vocab.MaskId, Enumerable.Range(0, vocab.Count).Where(vocab.IsSpecial));
        var maxLength = Math.Min(reader.Manifest.MaxLength, ModelFolder.ReadConfig(checkpoints[0].Path).MaxPositions);
        var scored = new CorpusSplitCells(cells);
        var reference = TokenStatistics.Measure(new CorpusSplitCells(reader.Split("train")), maskingVocab, maxLength, 20_000).CrossEntropyOn(scored, maskingVocab, request.Cells);
        var scores = new List<MlmScore>();
        foreach (var c in checkpoints)
        {
            Inference.HeldOutMlm.RequireSameVocabulary(c.Path, reader);
            using var model = ModelCheckpoint.Load(c.Path, device, precision);
            var result = MlmEvaluator.Evaluate(model, scored, maskingVocab, Inference.HeldOutMlm.MaskingOf(c.Path), (ulong)request.Seed, request.Cells, request.Batch, maxLength);
            Console.Error.WriteLine($"step {c.Step}: held-out MLM loss {result.Loss:0.0000} on {result.MaskedTokens:N0} masked genes");
            scores.Add(new MlmScore(c.Step, result.Loss, result.MaskedTokens));
        }
        var setting = new MlmSetting(reader.Directory, request.Split, Math.Min(cells.Count, request.Cells is > 0 and var n ? n : cells.Count), request.Seed, reference.Unigram, reference.Position);
        return (setting, scores);
    }

    /// <summary>The cell-type benchmark of every checkpoint, beside PCA and the run's architecture with random weights.</summary>
    public static (IReadOnlyList<BenchmarkResult> Baselines, Dictionary<long, IReadOnlyList<BenchmarkResult>> ByStep) CellTypes(
        IReadOnlyList<CheckpointInfo> checkpoints, CellTypeRequest request, Device device, ComputePrecision precision)
    {
        var sets = new List<FeatureSet> { request.Pca };
        var first = ModelFolder.ReadConfig(checkpoints[0].Path);
        using (var random = ModelCheckpoint.RandomlyInitialised(first, request.Seed, device, precision))
            sets.Add(new FixedFeatures("random-init", $"the run's architecture, random weights (seed {request.Seed})",
                LabelledEmbeddings.Of(random, TokenizerSpec.Resolve(checkpoints[0].Path, first, request.Tokenizer), request.Embedding, request.Input, request.Source, request.Cells)));
        foreach (var c in checkpoints)
        {
            using var model = ModelCheckpoint.Load(c.Path, device, precision);
            sets.Add(new FixedFeatures(TrainingReportWriter.CheckpointName(c.Step), c.Path,
                LabelledEmbeddings.Of(model, TokenizerSpec.Resolve(c.Path, model.Config, request.Tokenizer), request.Embedding, request.Input, request.Source, request.Cells)));
        }
        var results = CellTypeBenchmark.Run(sets, request.Classifiers, request.Cells.Labels, request.Cells.Classes.Length, request.Folds, request.Seed, line => Console.Error.WriteLine(line));
        var byStep = checkpoints.ToDictionary(c => c.Step, c => (IReadOnlyList<BenchmarkResult>)results.Where(x => x.Model == TrainingReportWriter.CheckpointName(c.Step)).ToList());
        return (results.Where(x => x.Model is "pca" or "random-init").ToList(), byStep);
    }

    /// <summary>Training loss by step from a metrics.jsonl (the last record of a step wins: a resumed run repeats steps).</summary>
    public static List<(long Step, double Loss)> TrainingLoss(string path)
    {
        var byStep = new SortedDictionary<long, double>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("step", out var step) && root.TryGetProperty("loss", out var loss) && loss.ValueKind == JsonValueKind.Number)
                byStep[step.GetInt64()] = loss.GetDouble();
        }
        return byStep.Select(p => (p.Key, p.Value)).ToList();
    }
}
