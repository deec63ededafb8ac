using System.Diagnostics;
using Geneformer.Data.Matrix;
using Geneformer.Data.Tokenization;
using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Evaluation.Inference;

/// <summary>
/// Embeds every cell of a source with a model: reads a window of cells, tokenizes them with the model's own
/// tokenizer, runs them in batches of similar length (sorted, so little padding), and hands the window to the
/// sink in input order. Memory is bounded by the window, whatever the file size. Eval mode, no masking.
/// A cell with no gene in the vocabulary is not run through the model: it gets a zero vector (mean, cls) or no
/// rows (genes), and is counted in <see cref="EmbeddingSummary.EmptyCells"/>.
/// </summary>
public sealed class CellEmbedder
{
    private readonly BertForMaskedLM model;
    private readonly TokenizerSpec spec;
    private readonly EmbeddingOptions options;
    private readonly int hiddenIndex;
    private readonly int leadingSpecials;
    private readonly int trailingSpecials;

    public int Hidden => model.Config.HiddenSize;

    public CellEmbedder(BertForMaskedLM model, TokenizerSpec spec, EmbeddingOptions options)
    {
        if (options.BatchSize < 1) throw new ArgumentException($"--batch {options.BatchSize}: expected a positive number of cells");
        if (options.WindowCells < 1) throw new ArgumentException($"--window {options.WindowCells}: expected a positive number of cells");
        if (options.Pooling == EmbeddingPooling.Cls && spec.Mode == TokenMode.V1)
            throw new ArgumentException("--pooling cls: token mode v1 has no CLS token; use --pooling mean (or a bionemo/v2 model)");
        var states = model.Config.NumLayers + 1;
        if (options.Layer < -states || options.Layer >= states)
            throw new ArgumentException($"--layer {options.Layer}: the model has hidden states 0 (embeddings) to {states - 1} (last layer), or -1 to -{states} from the end");
        this.model = model;
        this.spec = spec;
        this.options = options;
        hiddenIndex = options.Layer < 0 ? states + options.Layer : options.Layer;
        leadingSpecials = spec.Mode == TokenMode.V1 ? 0 : 1;
        trailingSpecials = spec.Mode == TokenMode.V2 ? 1 : 0;
    }

    /// <param name="progress">called after each window with (cells done, cells in all)</param>
    public EmbeddingSummary Run(ICellSource source, IEmbeddingSink sink, Action<long, long>? progress = null) =>
        Run(source, CellRange.All(source.CellCount), sink, progress);

    /// <summary>
    /// Embeds the cells of <paramref name="range"/> only, in windows counted from its first cell: a range that starts
    /// at a multiple of the window size gives each of its cells the bits the whole-file run gives it.
    /// </summary>
    /// <param name="progress">called after each window with (cells of the range done, cells in the range)</param>
    public EmbeddingSummary Run(ICellSource source, CellRange range, IEmbeddingSink sink, Action<long, long>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var tokenizer = spec.CreateTokenizer();
        var columns = tokenizer.MapColumns(source.GeneIds);
        var buffer = new short[tokenizer.MaxLength];
        var window = new List<short[]>(options.WindowCells);
        long first = range.First, empty = 0, geneTokens = 0;
        var device = model.parameters().First().device;

        void Flush()
        {
            var done = EmbedWindow(first, window, device);
            empty += window.Count(t => t.Length - leadingSpecials - trailingSpecials <= 0);
            geneTokens += window.Sum(t => (long)Math.Max(0, t.Length - leadingSpecials - trailingSpecials));
            sink.Write(done);
            first += window.Count;
            window.Clear();
            progress?.Invoke(first - range.First, range.Count);
        }

        foreach (var block in source.ReadBlocks(range, Math.Min(1024, options.WindowCells)))
        {
            for (var c = 0; c < block.CellCount; c++)
            {
                var n = tokenizer.Tokenize(columns, block, c, buffer);
                window.Add(buffer.AsSpan(0, n).ToArray());
                if (window.Count == options.WindowCells) Flush();
            }
        }
        if (window.Count > 0) Flush();
        if (first != range.End) throw new InvalidDataException($"{source.Path}: {range} asked for, but reading stopped after {first - range.First} of them");
        return new EmbeddingSummary(range.Count, empty, geneTokens, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The order in which the cells of a window are embedded, in batches of consecutive cells: longest first, ties in input order; cells <paramref name="embedded"/> rejects are left out.</summary>
    public static int[] LengthSortedOrder(IReadOnlyList<int> lengths, Func<int, bool> embedded) =>
        Enumerable.Range(0, lengths.Count).Where(embedded).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();

    private int GeneCount(short[] tokens) => Math.Max(0, tokens.Length - leadingSpecials - trailingSpecials);

    private EmbeddedCells EmbedWindow(long firstCell, List<short[]> cells, Device device)
    {
        var hidden = Hidden;
        var perGene = options.Pooling == EmbeddingPooling.Genes;
        int[]? offsets = null;
        int[]? geneTokens = null;
        float[] vectors;
        if (perGene)
        {
            offsets = new int[cells.Count + 1];
            for (var i = 0; i < cells.Count; i++) offsets[i + 1] = offsets[i] + GeneCount(cells[i]);
            geneTokens = new int[offsets[^1]];
            for (var i = 0; i < cells.Count; i++)
                for (var g = 0; g < GeneCount(cells[i]); g++) geneTokens[offsets[i] + g] = cells[i][leadingSpecials + g];
            vectors = new float[(long)offsets[^1] * hidden];
        }
        else
        {
            vectors = new float[(long)cells.Count * hidden];
        }

        // Batches of similar length waste little on padding.
        var order = LengthSortedOrder(cells.Select(c => c.Length).ToArray(), i => GeneCount(cells[i]) > 0);
        using var noAutograd = MeanPooling.NoAutograd();
        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray();
            var seqLen = batch.Max(i => cells[i].Length);
            var ids = new long[batch.Length * seqLen];
            var attention = new bool[batch.Length * seqLen];
            var genes = new bool[batch.Length * seqLen];
            for (var b = 0; b < batch.Length; b++)
            {
                var tokens = cells[batch[b]];
                for (var p = 0; p < tokens.Length; p++)
                {
                    ids[b * seqLen + p] = tokens[p];
                    attention[b * seqLen + p] = true;
                    genes[b * seqLen + p] = p >= leadingSpecials && p < tokens.Length - trailingSpecials;
                }
                for (var p = tokens.Length; p < seqLen; p++) ids[b * seqLen + p] = model.Config.PadTokenId;
            }
            var idsT = tensor(ids, [batch.Length, seqLen]).to(device);
            var maskT = tensor(attention, [batch.Length, seqLen]).to(device);
            var output = model.Forward(idsT, maskT, outputAllHidden: hiddenIndex != model.Config.NumLayers);
            var states = (output.AllHidden is { } everyLayer ? everyLayer[hiddenIndex] : output.LastHidden).to(ScalarType.Float32);

            switch (options.Pooling)
            {
                case EmbeddingPooling.Mean:
                {
                    var mean = MeanPooling.Over(states, tensor(genes, [batch.Length, seqLen]).to(device));
                    CopyRows(mean, batch, vectors, hidden);
                    break;
                }
                case EmbeddingPooling.Cls:
                    CopyRows(states.select(1, 0), batch, vectors, hidden);
                    break;
                case EmbeddingPooling.Genes:
                {
                    var all = states.cpu().contiguous().data<float>().ToArray();
                    for (var b = 0; b < batch.Length; b++)
                    {
                        var cell = batch[b];
                        var count = GeneCount(cells[cell]);
                        Array.Copy(all, ((long)b * seqLen + leadingSpecials) * hidden, vectors, (long)offsets![cell] * hidden, (long)count * hidden);
                    }
                    break;
                }
            }
        }
        return new EmbeddedCells(firstCell, cells.Count, hidden, vectors, offsets, geneTokens);
    }

    private static void CopyRows(Tensor rows, int[] cellsOfRows, float[] destination, int hidden)
    {
        var data = rows.cpu().contiguous().data<float>().ToArray();
        for (var b = 0; b < cellsOfRows.Length; b++) Array.Copy(data, (long)b * hidden, destination, (long)cellsOfRows[b] * hidden, hidden);
    }
}
