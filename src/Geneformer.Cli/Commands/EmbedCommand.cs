using System.CommandLine;
using Geneformer.Evaluation.Embedding;
using Geneformer.Collectives;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer embed</c>: cell (or gene) embeddings of an expression file as .npy, rows in input order.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint (step-NNNNNN/), checkpoint directory (uses latest), or model folder", Required = true };
        var input = new Option<string>("--input") { Description = "Cells: .h5ad, Cell Ranger .h5, or 10x matrix folder (raw counts, Ensembl ids)", Required = true };
        var output = new Option<string>("--output") { Description = "Embeddings .npy; the cell ids go to OUT.ids.txt beside it. Under mpiexec/srun with several ranks, each rank embeds a slice and rank 0 joins them", Required = true };
        var pooling = new Option<string>("--pooling") { Description = "mean (over gene tokens), cls (CLS state; bionemo/v2 modes), or genes (one row per gene token + OUT.offsets.npy + OUT.tokens.npy)", DefaultValueFactory = _ => "mean" };
        var layer = new Option<int>("--layer") { Description = "Hidden state: -2 = the second-to-last (default, as Geneformer's emb_layer=-1 for pretrained models), -1 = last layer, 0 = embedding layer, N = layer N; negative counts from the end", DefaultValueFactory = _ => EmbeddingOptions.DefaultLayer };
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
            var float16 = r.GetValue(dtype) switch
            {
                "float32" => false,
                "float16" => true,
                var d => throw new ArgumentException($"--dtype {d}: expected float32 or float16"),
            };
            var options = new EmbeddingOptions(EmbeddingPoolings.Parse(r.GetValue(pooling)!), r.GetValue(layer), r.GetValue(shared.Batch), r.GetValue(window));
            var request = new EmbedRequest(r.GetValue(checkpoint)!, r.GetValue(input)!, r.GetValue(output)!, float16, options,
                shared.Overrides(r), shared.SourceOptions(r), !r.GetValue(noProgress));
            EmbeddingFilePaths.For(request.Output, request.PerGene); // checks the name before any work
            // Several ranks under mpiexec/srun: each embeds a slice; one rank alone is the single-process run.
            if (LaunchEnvironment.UnderMpiLauncher() && LaunchEnvironment.WorldSize() is > 1)
                return RankedEmbedding.Run(request, localRank => shared.Runtime(r, localRank));
            var (device, precision) = shared.Runtime(r);
            using var session = EmbedSession.Open(request, device, precision);
            return SingleProcessEmbedding.Run(request, session);
        });
        return command;
    }
}
