using Geneformer.Data.Matrix;
using Geneformer.Data.Tokenization;
using Geneformer.Model.Bert;
using Geneformer.Evaluation.Inference;
using TorchSharp;

namespace Geneformer.Evaluation.Embedding;

/// <summary>
/// A model loaded for embedding and the input opened: the steps a single process and every MPI rank share.
/// Refuses an input none of whose genes is in the model's vocabulary.
/// </summary>
public sealed class EmbedSession : IDisposable
{
    private readonly BertForMaskedLM model;

    public string ModelDir { get; }
    public TokenizerSpec Spec { get; }
    public CellEmbedder Embedder { get; }
    public ICellSource Source { get; }
    public int MatchedGenes { get; }
    public torch.Device Device { get; }

    private EmbedSession(BertForMaskedLM model, string modelDir, TokenizerSpec spec, CellEmbedder embedder, ICellSource source, int matched, torch.Device device)
    {
        this.model = model;
        ModelDir = modelDir;
        Spec = spec;
        Embedder = embedder;
        Source = source;
        MatchedGenes = matched;
        Device = device;
    }

    public static EmbedSession Open(EmbedRequest request, torch.Device device, Model.ComputePrecision precision)
    {
        var modelDir = ModelCheckpoint.Resolve(request.Checkpoint);
        var model = ModelCheckpoint.Load(modelDir, device, precision);
        ICellSource? source = null;
        try
        {
            var spec = TokenizerSpec.Resolve(modelDir, model.Config, request.Overrides);
            var embedder = new CellEmbedder(model, spec, request.Options);
            source = CellSources.Open(request.Input, request.SourceOptions);
            var matched = spec.CreateTokenizer().MapColumns(source.GeneIds).MatchedColumns;
            if (matched == 0)
                throw new InvalidDataException($"{source.Path}: none of its {source.GeneIds.Count} gene ids (e.g. '{source.GeneIds.FirstOrDefault()}') is in the model's vocabulary ({spec.Source}); give Ensembl ids (--gene-id-column) or map symbols (--gene-symbols)");
            return new EmbedSession(model, modelDir, spec, embedder, source, matched, device);
        }
        catch
        {
            source?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>The line that says what is embedded with what.</summary>
    public string Describe(EmbedRequest request) =>
        $"embedding {Source.CellCount:N0} cells of {Source.Path} ({MatchedGenes:N0} of {Source.GeneIds.Count:N0} genes in the vocabulary) with {ModelDir}: " +
        $"mode {Spec.Mode.Name()}, max length {Spec.MaxLength}, {request.Options.Pooling.ToString().ToLowerInvariant()} pooling, layer {request.Options.Layer}, on {Device}";

    /// <summary>The closing lines: empty-cell warning on stderr, files written on stdout.</summary>
    public static void ReportWritten(EmbedRequest request, EmbeddingFilePaths files, EmbeddingSummary summary, int hidden)
    {
        if (summary.EmptyCells > 0)
            Console.Error.WriteLine($"warning: {summary.EmptyCells:N0} cells express no vocabulary gene; their rows are zero" + (request.PerGene ? " (no gene rows)" : ""));
        Console.WriteLine($"wrote {files.Vectors} ({summary.Cells:N0} cells x {hidden}, {request.DtypeName}) and {files.Ids}" +
            (files.Offsets is not null ? $", {files.Offsets}, {files.Tokens} ({summary.GeneTokens:N0} gene rows)" : "") +
            $" in {summary.Seconds:0.0}s ({summary.CellsPerSecond:0.#} cells/s)");
    }

    public void Dispose()
    {
        Source.Dispose();
        model.Dispose();
    }
}
