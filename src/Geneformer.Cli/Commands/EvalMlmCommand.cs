using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Data.Corpus;
using Geneformer.Evaluation.Inference;
using Geneformer.Model;

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
            TorchRuntime.SetThreads(r.GetValue(threads));
            var request = new HeldOutMlm.Request(modelDir, reader, r.GetValue(split)!, (ulong)r.GetValue(seed), r.GetValue(maxCells), r.GetValue(batch), r.GetValue(device)!);
            var (result, masking, rank, ranks) = HeldOutMlm.Score(request, scoringRank => new ProgressLine("eval mlm", !r.GetValue(json) && scoringRank == 0));
            if (rank != 0) return ExitCodes.Ok;
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["checkpoint"] = modelDir, ["corpus"] = reader.Directory, ["split"] = r.GetValue(split)!, ["seed"] = r.GetValue(seed),
                    ["loss"] = result.Loss, ["perplexity"] = result.Perplexity, ["cells"] = result.Cells, ["tokens"] = result.Tokens,
                    ["masked_tokens"] = result.MaskedTokens, ["mask_probability"] = masking.SelectProbability, ["seconds"] = result.Seconds, ["ranks"] = ranks,
                }));
            }
            else
            {
                var onRanks = ranks > 1 ? $" on {ranks} ranks" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mlm loss {result.Loss:0.0000} (perplexity {result.Perplexity:0.##}) on {result.Cells:N0} cells, {result.Tokens:N0} tokens, {result.MaskedTokens:N0} masked ({r.GetValue(split)} split of {reader.Directory}, seed {r.GetValue(seed)}) in {result.Seconds:0.0}s{onRanks}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
