namespace Geneformer.Data.Loading;

/// <summary>Turns cells into <see cref="MicroBatch"/>es: truncation, masking, padding.</summary>
public sealed class MicroBatchCollator
{
    private readonly ITokenizedCells cells;
    private readonly MlmMasking masking;
    private readonly MaskingVocabulary vocab;
    private readonly ulong seed;
    private readonly int maxLength;

    public MicroBatchCollator(ITokenizedCells cells, MlmMasking masking, MaskingVocabulary vocab, ulong seed, int maxLength)
    {
        masking.Validate();
        this.cells = cells;
        this.masking = masking;
        this.vocab = vocab;
        this.seed = seed;
        this.maxLength = maxLength;
    }

    /// <summary>Tokens cell <paramref name="cell"/> takes in a batch: its length, truncated to the maximum.</summary>
    public int TokensOf(long cell) => Math.Min(cells.Length(cell), maxLength);

    /// <param name="samples">(cell index, epoch) of each cell of the batch</param>
    /// <param name="packed">lay the cells end to end with no padding instead of one padded row each</param>
    public MicroBatch Collate(IReadOnlyList<(long Cell, long Epoch)> samples, bool packed = false)
    {
        var fullLengths = samples.Select(s => cells.Length(s.Cell)).ToArray();
        var lengths = fullLengths.Select(l => Math.Min(l, maxLength)).ToArray();
        var seqLen = Math.Max(1, lengths.Max());
        var ids = new long[packed ? lengths.Sum() : samples.Count * seqLen];
        var attention = packed ? [] : new bool[samples.Count * seqLen];
        var positions = new List<long>();
        var labels = new List<long>();
        var buffer = new int[Math.Max(1, fullLengths.Max())];
        var pos = new int[seqLen];
        var lab = new int[seqLen];
        long real = 0;
        for (var b = 0; b < samples.Count; b++)
        {
            var (cell, epoch) = samples[b];
            cells.CopyTokens(cell, buffer);
            var len = lengths[b];
            var tokens = buffer.AsSpan(0, len); // truncation keeps the highest-ranked genes
            var selected = masking.Apply(tokens, seed, epoch, cell, vocab, pos, lab);
            var row = packed ? real : b * seqLen;
            for (var i = 0; i < len; i++) ids[row + i] = tokens[i];
            if (!packed)
            {
                attention.AsSpan((int)row, len).Fill(true);
                ids.AsSpan((int)row + len, seqLen - len).Fill(vocab.PadTokenId);
            }
            for (var k = 0; k < selected; k++)
            {
                positions.Add(row + pos[k]);
                labels.Add(lab[k]);
            }
            real += len;
        }
        return new MicroBatch(samples.Count, seqLen, ids, attention, positions.ToArray(), labels.ToArray(), samples.Select(s => s.Cell).ToArray())
        {
            RealTokens = real,
            Lengths = lengths,
            Packed = packed,
        };
    }
}
