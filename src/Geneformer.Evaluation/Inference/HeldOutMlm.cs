using Geneformer.Common;
using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;
using Geneformer.Collectives;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Evaluation.Inference;

/// <summary>
/// <c>eval mlm</c>: a checkpoint's mean masked-token cross-entropy on a corpus split. Under an MPI launcher each rank
/// scores every N-th cell on its own device and the ranks sum their figures, so every rank holds the total.
/// </summary>
public static class HeldOutMlm
{
    public sealed record Request(string ModelDir, CorpusReader Corpus, string Split, ulong Seed, long MaxCells, int Batch, string Device);

    public sealed record Result(MlmEvaluation Evaluation, MlmMasking Masking, int Rank, int Ranks);

    public static Result Score(Request request, Func<int, ProgressLine> progress)
    {
        RequireSameVocabulary(request.ModelDir, request.Corpus);
        var cells = request.Corpus.Split(request.Split);
        if (cells.Count == 0) throw new InvalidDataException($"{request.Corpus.Directory}: the {request.Split} split has no cells");
        var masking = MaskingOf(request.ModelDir);
        using var job = RankedJob.UnderLauncher();
        return job.Run(() =>
        {
            var collectives = job.Collectives;
            var device = TorchRuntime.ResolveDevice(request.Device, collectives.WorldSize > 1 ? LaunchEnvironment.LocalRank() : null);
            using var model = ModelCheckpoint.Load(request.ModelDir, device);
            var vocab = request.Corpus.Vocabulary;
            var maskingVocab = new MaskingVocabulary(vocab.Count, vocab.PadId, vocab.MaskId, Enumerable.Range(0, vocab.Count).Where(vocab.IsSpecial));
            var mine = MlmEvaluator.Evaluate(model, new CorpusSplitCells(cells), maskingVocab, masking, request.Seed, request.MaxCells,
                request.Batch, request.Corpus.Manifest.MaxLength, progress(collectives.Rank).Report, collectives.Rank, collectives.WorldSize);
            var sums = mine.Sums();
            collectives.AllReduceSum(sums);
            return new Result(MlmEvaluation.FromSums(sums, mine.Seconds), masking, collectives.Rank, collectives.WorldSize);
        });
    }

    /// <summary>The masking the checkpoint was trained with (its training.json), else BERT's 15% / 80-10-10.</summary>
    public static MlmMasking MaskingOf(string modelDir)
    {
        var path = Path.Combine(modelDir, CheckpointLayout.TrainingConfigFile);
        if (!File.Exists(path)) return new MlmMasking();
        return TrainingConfig.FromJson(File.ReadAllText(path)).Masking();
    }

    /// <summary>Token ids mean nothing across vocabularies: a checkpoint must be scored on a corpus tokenized with its own.</summary>
    public static void RequireSameVocabulary(string modelDir, CorpusReader reader)
    {
        var mine = Path.Combine(modelDir, TokenizerSpec.Folder, CorpusManifest.VocabularyFileName);
        var theirs = Path.Combine(reader.Directory, CorpusManifest.VocabularyFileName);
        if (File.Exists(mine) && File.ReadAllText(mine) != File.ReadAllText(theirs))
            throw new InvalidDataException($"{theirs} differs from the checkpoint's vocabulary {mine}: the corpus was tokenized for another model");
    }
}
