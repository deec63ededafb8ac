using Geneformer.Common;
using Geneformer.Data.Matrix;
using Geneformer.Model.Bert;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Evaluation.CellType;

/// <summary>A model's embeddings of the labelled cells, as classifier features.</summary>
public static class LabelledEmbeddings
{
    /// <summary>The labelled cells' embeddings (rows in the order of <see cref="LabelledCells.FileRows"/>).</summary>
    public static float[][] Of(BertForMaskedLM model, TokenizerSpec spec, EmbeddingOptions options, string input, CellSourceOptions sourceOptions, LabelledCells cells)
    {
        using var source = CellSources.Open(input, sourceOptions);
        if (spec.CreateTokenizer().MapColumns(source.GeneIds).MatchedColumns == 0)
            throw new InvalidDataException($"{source.Path}: none of its gene ids (e.g. '{source.GeneIds.FirstOrDefault()}') is in the model's vocabulary ({spec.Source}); give Ensembl ids (--gene-id-column) or map symbols (--gene-symbols)");
        var sink = new InMemoryEmbeddings();
        var summary = new CellEmbedder(model, spec, options).Run(source, sink, new ProgressLine("embed", true).Report);
        if (summary.EmptyCells > 0) Console.Error.WriteLine($"warning: {summary.EmptyCells} cells express no vocabulary gene; their embeddings are zero");
        var all = sink.ToArray();
        var hidden = sink.Hidden;
        return cells.FileRows.Select(row => all.AsSpan(row * hidden, hidden).ToArray()).ToArray();
    }
}
