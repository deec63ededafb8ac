using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;
using Geneformer.Distributed.Collectives;
using Geneformer.Evaluation.Inference;
using Geneformer.Model;
using Geneformer.Training;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer eval mlm</c>: mean masked-token cross-entropy of a checkpoint on a corpus split. Under an MPI launcher
/// (mpiexec, srun --mpi=pmi2) each rank scores every N-th cell on its own device and rank 0 prints the total.
/// </summary>
public static class EvalMlmCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint (step-NNNNNN/), checkpoint directory (uses latest), or model folder", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "Prepared corpus directory (geneformer prepare)", Required = true };
        var split = new Option<string>("--split") { Description = "train, validation or test", DefaultValueFactory = _ => "test" };
        var seed = new Option<long>("--seed") { Description = "Masking seed (same seed = same masked tokens)", DefaultValueFactory = _ => 1234 };
        var maxCells = new Option<long>("--max-cells") { Description = "Score the first N cells of the split (0 = all)", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Cells per forward pass", DefaultValueFactory = _ => 16 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("mlm", "Held-out masked-LM loss: 15% of gene tokens masked (the checkpoint's masking fractions), fixed seed; prints loss, perplexity, cell and token counts")
        {
            checkpoint, corpus, split, seed, maxCells, batch, device, threads, json,
        };
        command.SetAction(r =>
        {
            var modelDir = ModelCheckpoint.Resolve(r.GetValue(checkpoint)!);
            using var reader = CorpusReader.Open(r.GetValue(corpus)!);
            RequireSameVocabulary(modelDir, reader);
            var cells = reader.Split(r.GetValue(split)!);
            if (cells.Count == 0) throw new InvalidDataException($"{reader.Directory}: the {r.GetValue(split)} split has no cells");
            TorchRuntime.SetThreads(r.GetValue(threads));
            using var collectives = LaunchEnvironment.UnderMpiLauncher() && LaunchEnvironment.WorldSize() is > 1
                ? CollectivesFactory.Create(CollectivesBackend.Mpi) : new Training.Parallel.SingleProcessCollectives();
            var masking = MaskingOf(modelDir);
            MlmEvaluation result;
            try
            {
                var dev = TorchRuntime.ResolveDevice(r.GetValue(device)!, collectives.WorldSize > 1 ? LaunchEnvironment.LocalRank() : null);
                using var model = ModelCheckpoint.Load(modelDir, dev);
                var vocab = reader.Vocabulary;
                var maskingVocab = new MaskingVocabulary(vocab.Count, vocab.PadId, vocab.MaskId, Enumerable.Range(0, vocab.Count).Where(vocab.IsSpecial));
                var mine = MlmEvaluator.Evaluate(model, new CorpusSplitCells(cells), maskingVocab, masking, (ulong)r.GetValue(seed), r.GetValue(maxCells),
                    r.GetValue(batch), reader.Manifest.MaxLength, new ProgressLine("eval mlm", !r.GetValue(json) && collectives.Rank == 0).Report, collectives.Rank, collectives.WorldSize);
                var sums = mine.Sums();
                collectives.AllReduceSum(sums);
                result = MlmEvaluation.FromSums(sums, mine.Seconds);
            }
            catch
            {
                collectives.Abandon(); // the other ranks wait in the all-reduce: this rank's exit ends them
                throw;
            }
            if (collectives.Rank != 0) return ExitCodes.Ok;
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["checkpoint"] = modelDir, ["corpus"] = reader.Directory, ["split"] = r.GetValue(split)!, ["seed"] = r.GetValue(seed),
                    ["loss"] = result.Loss, ["perplexity"] = result.Perplexity, ["cells"] = result.Cells, ["tokens"] = result.Tokens,
                    ["masked_tokens"] = result.MaskedTokens, ["mask_probability"] = masking.SelectProbability, ["seconds"] = result.Seconds, ["ranks"] = collectives.WorldSize,
                }));
            }
            else
            {
                var ranks = collectives.WorldSize > 1 ? $" on {collectives.WorldSize} ranks" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mlm loss {result.Loss:0.0000} (perplexity {result.Perplexity:0.##}) on {result.Cells:N0} cells, {result.Tokens:N0} tokens, {result.MaskedTokens:N0} masked ({r.GetValue(split)} split of {reader.Directory}, seed {r.GetValue(seed)}) in {result.Seconds:0.0}s{ranks}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The masking the checkpoint was trained with (its training.json), else BERT's 15% / 80-10-10.</summary>
    internal static MlmMasking MaskingOf(string modelDir)
    {
        var path = Path.Combine(modelDir, Trainer.TrainingConfigFile);
        if (!File.Exists(path)) return new MlmMasking();
        var c = TrainingConfig.FromJson(File.ReadAllText(path));
        return c.Masking();
    }

    /// <summary>Token ids mean nothing across vocabularies: a checkpoint must be scored on a corpus tokenized with its own.</summary>
    internal static void RequireSameVocabulary(string modelDir, CorpusReader reader)
    {
        var mine = Path.Combine(modelDir, TokenizerSpec.Folder, CorpusManifest.VocabularyFileName);
        var theirs = Path.Combine(reader.Directory, CorpusManifest.VocabularyFileName);
        if (File.Exists(mine) && File.ReadAllText(mine) != File.ReadAllText(theirs))
            throw new InvalidDataException($"{theirs} differs from the checkpoint's vocabulary {mine}: the corpus was tokenized for another model");
    }
}
