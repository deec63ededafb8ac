using System.CommandLine;
using Geneformer.Common;
using Geneformer.Data.Corpus;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer demo</c>: the whole product on one machine, on generated data, by running the real commands
/// one after another exactly as a user would type them.
/// </summary>
public static class DemoCommand
{
    private const string Marker = ".geneformer-demo";

    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for everything the demo makes (re-created on each run if the demo made it)", DefaultValueFactory = _ => "demo-run" };
        var datasets = new Option<int>("--datasets") { Description = "Synthetic datasets (dataset_ids) to generate", DefaultValueFactory = _ => 6 };
        var cells = new Option<int>("--cells-per-dataset") { Description = "Cells per dataset", DefaultValueFactory = _ => 400 };
        var steps = new Option<int>("--steps") { Description = "Pretraining steps (tiny preset); a checkpoint every quarter, each scored by eval training", DefaultValueFactory = _ => 600 };
        var ranks = new Option<int>("--ranks") { Description = "Training ranks (a local coordinator plus mpiexec.mpich ranks); 1 = a single process", DefaultValueFactory = _ => 2 };
        var command = new Command("demo", "Run every stage end to end on a generated CELLxGENE-like corpus: generate, prepare, pretrain (tiny preset, local cluster), verify checkpoints, eval mlm, embed, and eval training (cell types and held-out loss of every checkpoint against PCA and random weights)") { output, datasets, cells, steps, ranks };
        command.SetAction(r =>
        {
            var dir = Path.GetFullPath(r.GetValue(output)!);
            PrepareFolder(dir);
            var raw = Path.Combine(dir, "raw");
            var corpus = Path.Combine(dir, "corpus");
            var checkpoints = Path.Combine(dir, "checkpoints");
            var n = r.GetValue(steps);
            var every = Math.Max(1, n / 4).ToString();
            var trainingRanks = r.GetValue(ranks);
            string[] cluster = trainingRanks > 1 ? ["--local", "--ranks", trainingRanks.ToString()] : [];
            // Arguments are built just before each stage runs: later stages read what earlier ones wrote.
            (string Title, Func<string[]> Args)[] stages =
            [
                ("generate a synthetic CELLxGENE-like corpus", () => ["generate", "--output", raw, "--datasets", r.GetValue(datasets).ToString(), "--cells-per-dataset", r.GetValue(cells).ToString(), "--genes", "5000", "--genes-per-cell", "1000"]),
                ("prepare: filter, split by dataset_id, medians, tokenize, Arrow shards", () => ["prepare", "--input", raw, "--output", corpus, "--holdout-fraction", "0.2", "--no-progress"]),
                ("the model", () => ["model", "info", "--model", "tiny"]),
                ("pretrain the tiny preset" + (trainingRanks > 1 ? $" on a local cluster of {trainingRanks} ranks" : ""), () => ["pretrain", "--training", "tiny", "--corpus", corpus, "--checkpoints", checkpoints, "--max-steps", n.ToString(), "--checkpoint-every", every, "--eval-every", every, "--set", "keep_last=5", .. cluster]),
                ("verify every checkpoint", () => ["checkpoints", "verify", checkpoints]),
                ("held-out masked-LM loss on the test split", () => ["eval", "mlm", "--checkpoint", checkpoints, "--corpus", corpus, "--split", "test"]),
                ("cell embeddings of a held-out dataset", () => ["embed", "--checkpoint", checkpoints, "--input", HeldOutDataset(raw, corpus), "--output", Path.Combine(dir, "embeddings.npy"), "--no-progress"]),
                ("learning, checkpoint by checkpoint: cell types of a held-out dataset (PCA and random weights as baselines) and held-out MLM loss",
                    () => ["eval", "training", "--checkpoints", checkpoints, "--corpus", corpus, "--input", HeldOutDataset(raw, corpus), "--label-column", "cell_type",
                           "--folds", "3", "--classifier", "logreg", "--output", Path.Combine(dir, "learning")]),
            ];
            foreach (var (title, makeArgs) in stages)
            {
                var args = makeArgs();
                Console.WriteLine();
                Console.WriteLine($"== {title}: geneformer {string.Join(' ', args)}");
                var rc = CliApp.Run(args);
                if (rc != ExitCodes.Ok)
                {
                    Console.Error.WriteLine($"demo: stage '{args[0]}' failed with exit code {rc}");
                    return rc;
                }
            }
            Console.WriteLine();
            Console.WriteLine($"demo finished: everything is in {dir}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The generated file of the first dataset (by id) none of whose cells went to the corpus's train split.</summary>
    private static string HeldOutDataset(string raw, string corpus)
    {
        var manifest = CorpusManifest.Load(Path.Combine(corpus, CorpusManifest.FileName));
        var id = manifest.Datasets.Where(d => d.Train == 0).Select(d => d.DatasetId).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidDataException($"{corpus}: every dataset has cells in the train split; the demo needs one held out");
        var path = Path.Combine(raw, id + ".h5ad");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: the held-out dataset's file is missing", path);
    }

    /// <summary>Creates the folder, or empties one an earlier demo made; never touches a folder the demo did not make.</summary>
    private static void PrepareFolder(string dir)
    {
        if (Directory.Exists(dir))
        {
            if (!File.Exists(Path.Combine(dir, Marker)))
                throw new IOException($"{dir} exists and was not made by the demo; choose another --output");
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, Marker), "made by geneformer demo; deleted and re-made by the next demo run\n");
    }
}
