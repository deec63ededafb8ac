using System.CommandLine;
using Geneformer.Data.Matrix;
using Geneformer.Data.Tokenization;
using Geneformer.Training.Evaluation;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer embed</c>: cell (or gene) embeddings of an expression file as .npy, rows in input order.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint (step-NNNNNN/), checkpoint directory (uses latest), or model folder", Required = true };
        var input = new Option<string>("--input") { Description = "Cells: .h5ad, Cell Ranger .h5, or 10x matrix folder (raw counts, Ensembl ids)", Required = true };
        var output = new Option<string>("--output") { Description = "Embeddings .npy; the cell ids go to OUT.ids.txt beside it", Required = true };
        var pooling = new Option<string>("--pooling") { Description = "mean (over gene tokens), cls (CLS state; bionemo/v2 modes), or genes (one row per gene token + OUT.offsets.npy + OUT.tokens.npy)", DefaultValueFactory = _ => "mean" };
        var layer = new Option<int>("--layer") { Description = "Hidden state: -1 = last layer, 0 = embedding layer, N = layer N; negative counts from the end", DefaultValueFactory = _ => -1 };
        var dtype = new Option<string>("--dtype") { Description = "float32 or float16", DefaultValueFactory = _ => "float32" };
        var window = new Option<int>("--window") { Description = "Cells read, length-sorted and embedded together (bounds memory)", DefaultValueFactory = _ => 4096 };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress lines on stderr" };
        var shared = new ModelInputOptions();
        var command = new Command("embed", "Embed cells with a pretrained model: tokenized with the model's own vocabulary, medians and mode; eval mode, no masking")
        {
            checkpoint, input, output, pooling, layer, dtype, window, noProgress,
        };
        foreach (var o in shared.All) command.Options.Add(o);
        command.SetAction(r =>
        {
            var outputPath = r.GetValue(output)!;
            var float16 = r.GetValue(dtype) switch
            {
                "float32" => false,
                "float16" => true,
                var d => throw new ArgumentException($"--dtype {d}: expected float32 or float16"),
            };
            var options = new EmbeddingOptions(EmbeddingPoolings.Parse(r.GetValue(pooling)!), r.GetValue(layer), r.GetValue(shared.Batch), r.GetValue(window));
            var modelDir = ModelCheckpoint.Resolve(r.GetValue(checkpoint)!);
            var (device, precision) = shared.Runtime(r);
            using var model = ModelCheckpoint.Load(modelDir, device, precision);
            var spec = TokenizerSpec.Resolve(modelDir, model.Config, shared.Overrides(r));
            var embedder = new CellEmbedder(model, spec, options);
            using var source = CellSources.Open(r.GetValue(input)!, shared.SourceOptions(r));
            var matched = spec.CreateTokenizer().MapColumns(source.GeneIds).MatchedColumns;
            if (matched == 0)
                throw new InvalidDataException($"{source.Path}: none of its {source.GeneIds.Count} gene ids (e.g. '{source.GeneIds.FirstOrDefault()}') is in the model's vocabulary ({spec.Source}); give Ensembl ids (--gene-id-column) or map symbols (--gene-symbols)");
            Console.Error.WriteLine($"embedding {source.CellCount:N0} cells of {source.Path} ({matched:N0} of {source.GeneIds.Count:N0} genes in the vocabulary) with {modelDir}: " +
                $"mode {spec.Mode.Name()}, max length {spec.MaxLength}, {options.Pooling.ToString().ToLowerInvariant()} pooling, layer {options.Layer}, on {device}");
            using var files = new NpyEmbeddingFiles(outputPath, embedder.Hidden, float16, options.Pooling == EmbeddingPooling.Genes, source.CellIds);
            var summary = embedder.Run(source, files, new ProgressLine("embed", !r.GetValue(noProgress)).Report);
            files.Complete();
            if (summary.EmptyCells > 0)
                Console.Error.WriteLine($"warning: {summary.EmptyCells:N0} cells express no vocabulary gene; their rows are zero" + (options.Pooling == EmbeddingPooling.Genes ? " (no gene rows)" : ""));
            Console.WriteLine($"wrote {files.VectorsPath} ({summary.Cells:N0} cells x {embedder.Hidden}, {(float16 ? "float16" : "float32")}) and {files.IdsPath}" +
                (files.OffsetsPath is not null ? $", {files.OffsetsPath}, {files.TokensPath} ({summary.GeneTokens:N0} gene rows)" : "") +
                $" in {summary.Seconds:0.0}s ({summary.CellsPerSecond:0.#} cells/s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
