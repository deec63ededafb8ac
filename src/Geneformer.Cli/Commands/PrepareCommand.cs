using System.CommandLine;
using Geneformer.Common;
using Geneformer.Data.Matrix;
using Geneformer.Data.Medians;
using Geneformer.Data.Pipeline;
using Geneformer.Data.Tokenization;
using Spectre.Console;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer prepare</c>: single-cell files into a tokenized, split, Arrow-sharded corpus directory.</summary>
public static class PrepareCommand
{
    /// <param name="openerFor">Makes the file opener (normally the AnnData/10x readers' CellSources.Open) for the reader choices given.</param>
    public static Command Create(Func<ReaderChoices, Func<string, ICellSource>> openerFor)
    {
        var input = new Option<string[]>("--input") { Description = "Input .h5ad/.h5 files, 10x matrix folders, or folders holding them (several allowed)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output") { Description = "Corpus folder to create (written atomically: complete or absent)", Required = true };
        var vocab = new Option<string?>("--vocab") { Description = "Token dictionary, .tsv (token, id) or Geneformer .pkl; ids are kept. Default: genes with a non-zero median over the training split" };
        var medians = new Option<string?>("--medians") { Description = "Gene median dictionary, .tsv (ensembl_id, median) or Geneformer .pkl. Default: computed over the training split" };
        var mode = new Option<string>("--token-mode") { Description = "v1 (genes only, 2048), bionemo (<cls> + genes, 2048), v2 (<cls> genes <eos>, 4096)", DefaultValueFactory = _ => "v1" };
        mode.AcceptOnlyFromAmong("v1", "bionemo", "v2");
        var maxLength = new Option<int?>("--max-length") { Description = "Maximum tokens per cell, special tokens included (default: the mode's)" };
        var filter = new Option<string>("--filter") { Description = "cellxgene (organism Homo sapiens, is_primary_data, disease normal, suspension_type != na) or none", DefaultValueFactory = _ => "cellxgene" };
        filter.AcceptOnlyFromAmong("cellxgene", "none");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the dataset_id split; the same inputs and seed give a byte-identical corpus", DefaultValueFactory = _ => 42UL };
        var medianMethod = new Option<string>("--median-method")
        {
            Description = $"auto (exact up to {Data.Medians.MedianAccumulators.AutoExactMaxCells:N0} kept cells, else sketch), exact (keeps every value: memory grows with the corpus) " +
                          "or sketch (bounded memory, within 0.5% of exact)",
            DefaultValueFactory = _ => "auto",
        };
        medianMethod.AcceptOnlyFromAmong("auto", "exact", "sketch");
        var rowsPerShard = new Option<long>("--rows-per-shard") { Description = "Cells per Arrow shard (shards also close before 1 GiB)", DefaultValueFactory = _ => 250_000L };
        var holdout = new Option<double>("--holdout-fraction") { Description = "Share of datasets (or, for fewer than 3 datasets, of cells) held out for validation and test", DefaultValueFactory = _ => 0.01 };
        var matrix = new Option<string?>("--matrix") { Description = "Which AnnData matrix holds raw counts: auto (raw/X when present, else X), X, raw, or layer:NAME" };
        var geneIdColumn = new Option<string?>("--gene-id-column") { Description = "var column holding Ensembl ids (e.g. feature_id, gene_ids); default: the var index. 10x: gene_ids or gene_symbols" };
        var geneSymbols = GeneSymbolsOption.Create();
        var threads = new Option<int>("--threads") { Description = "Threads that compute the medians and tokenize (the corpus is byte-identical for any count)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output folder (atomically) instead of refusing" };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per file and stage instead of progress bars" };

        var command = new Command("prepare", "Prepare a corpus from .h5ad/10x files: CELLxGENE filters, dataset_id splits, medians, rank-value tokenization, Arrow shards")
        {
            input, output, vocab, medians, mode, maxLength, filter, seed, medianMethod, rowsPerShard, holdout, matrix, geneIdColumn, geneSymbols, threads, overwrite, noProgress,
        };
        command.SetAction(r =>
        {
            var options = new CorpusBuildOptions
            {
                Inputs = r.GetValue(input)!,
                Output = r.GetValue(output)!,
                VocabularyPath = r.GetValue(vocab),
                MediansPath = r.GetValue(medians),
                GeneSymbolsPath = r.GetValue(geneSymbols),
                TokenMode = TokenModes.Parse(r.GetValue(mode)!),
                MaxLength = r.GetValue(maxLength),
                Filter = CellFilterOptions.Parse(r.GetValue(filter)!),
                Seed = r.GetValue(seed),
                MedianMethod = MedianAccumulators.Parse(r.GetValue(medianMethod)!),
                RowsPerShard = r.GetValue(rowsPerShard),
                HoldoutFraction = r.GetValue(holdout),
                Overwrite = r.GetValue(overwrite),
                Threads = r.GetValue(threads) is > 0 and var t ? t : throw new ArgumentException($"--threads must be at least 1, not {r.GetValue(threads)}"),
            };
            var opener = openerFor(new ReaderChoices(r.GetValue(matrix), r.GetValue(geneIdColumn), GeneSymbolsOption.Load(r.GetValue(geneSymbols))));
            var manifest = r.GetValue(noProgress) || Console.IsOutputRedirected
                ? new CorpusBuilder(opener, PrintLine).Build(options)
                : BuildWithBars(opener, options);
            Console.WriteLine($"corpus {Path.GetFullPath(options.Output)}: {string.Join(", ", manifest.Counts.Select(kv => $"{kv.Key} {kv.Value:N0}"))} cells; " +
                $"{manifest.Datasets.Count} datasets, split {manifest.Split.Strategy}; vocabulary {manifest.VocabularySize:N0} tokens, mode {manifest.TokenMode}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintLine(CorpusProgress p)
    {
        if (p.CellsDone == p.CellsInFile) Console.WriteLine($"{p.Stage}: file {p.FileIndex + 1}/{p.FileCount} {p.File} ({p.CellsInFile:N0} cells)");
    }

    private static Data.Corpus.CorpusManifest BuildWithBars(Func<string, ICellSource> opener, CorpusBuildOptions options)
    {
        Data.Corpus.CorpusManifest? result = null;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            result = new CorpusBuilder(opener, p =>
            {
                if (!tasks.TryGetValue(p.Stage, out var task)) tasks[p.Stage] = task = ctx.AddTask(p.Stage, maxValue: p.FileCount);
                task.Value = p.FileIndex + (p.CellsInFile == 0 ? 1 : (double)p.CellsDone / p.CellsInFile);
            }).Build(options);
            foreach (var t in tasks.Values) t.Value = t.MaxValue;
        });
        return result!;
    }
}
