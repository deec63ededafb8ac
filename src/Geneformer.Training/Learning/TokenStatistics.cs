using Geneformer.Data.Loading;

namespace Geneformer.Training.Learning;

/// <summary>
/// How often each gene token occurs in a sample of the training cells (non-special tokens within the first
/// <c>maxLength</c> positions: exactly the tokens masking may select), and the two losses a model reaches
/// without reading a cell's other genes:
/// <list type="bullet">
/// <item><see cref="UnigramEntropy"/>: predicting every masked gene from its overall frequency alone;</item>
/// <item><see cref="PositionEntropy"/>: from its frequency at that rank band (<see cref="BandWidth"/> positions).</item>
/// </list>
/// A model that learns from context goes below both. Both are plug-in estimates on the sample (natural log).
/// </summary>
public sealed class TokenStatistics
{
    public const int DefaultBandWidth = 64;

    private readonly long[] counts;
    private readonly long[]?[] bands;
    private readonly int maxLength;

    public int Cells { get; }
    public long Tokens { get; }
    public int BandWidth { get; }
    public double UnigramEntropy { get; }
    public double PositionEntropy { get; }

    /// <summary>Distinct gene tokens seen in the sample.</summary>
    public int DistinctTokens => counts.Count(c => c > 0);

    public int VocabularySize => counts.Length;

    public long CountOf(int token) => counts[token];

    private TokenStatistics(long[] counts, long[]?[] bands, int maxLength, int cells, long tokens, int bandWidth, double unigram, double position)
    {
        this.counts = counts;
        this.bands = bands;
        this.maxLength = maxLength;
        Cells = cells;
        Tokens = tokens;
        BandWidth = bandWidth;
        UnigramEntropy = unigram;
        PositionEntropy = position;
    }

    /// <summary>
    /// Counts the tokens of at most <paramref name="maxCells"/> cells, spread evenly over the split (all of them
    /// when it is smaller), so the figures are the same on every rank and every run.
    /// </summary>
    public static TokenStatistics Measure(ITokenizedCells cells, MaskingVocabulary vocab, int maxLength, int maxCells, int bandWidth = DefaultBandWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCells, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandWidth, 1);
        var sampled = (int)Math.Min(cells.Count, maxCells);
        var counts = new long[vocab.Size];
        var bands = new long[]?[(maxLength + bandWidth - 1) / bandWidth];
        var buffer = new int[maxLength];
        long tokens = 0;
        for (var i = 0; i < sampled; i++)
        {
            var cell = (long)((double)i * cells.Count / sampled);
            var length = cells.Length(cell);
            if (length > buffer.Length) Array.Resize(ref buffer, length);
            cells.CopyTokens(cell, buffer);
            for (var p = 0; p < Math.Min(length, maxLength); p++)
            {
                var token = buffer[p];
                if (vocab.IsSpecial(token)) continue;
                counts[token]++;
                (bands[p / bandWidth] ??= new long[vocab.Size])[token]++;
                tokens++;
            }
        }
        var position = bands.Sum(b => b is null ? 0 : b.Sum() * Entropy(b, b.Sum())) / Math.Max(1, tokens);
        return new TokenStatistics(counts, bands, maxLength, sampled, tokens, bandWidth, Entropy(counts, tokens), position);
    }

    private static double Entropy(long[] counts, long total)
    {
        if (total == 0) return double.NaN;
        var h = 0.0;
        foreach (var c in counts)
            if (c > 0) h -= c / (double)total * Math.Log(c / (double)total);
        return h;
    }

    /// <summary>
    /// The losses of the two frequency-only predictors these statistics define, on other cells (a held-out split):
    /// the cross-entropy of their gene tokens under the smoothed gene frequencies (<see cref="LogFrequencies"/>), and
    /// under each rank band's frequencies, interpolated with the overall ones by Witten-Bell smoothing (the band's
    /// weight is its tokens over its tokens plus its distinct genes). What a model that ignores a cell's
    /// other genes scores there; the flat lines to compare a held-out MLM loss with.
    /// </summary>
    public (double Unigram, double Position) CrossEntropyOn(ITokenizedCells cells, MaskingVocabulary vocab, long maxCells)
    {
        var unigram = LogFrequencies().Select(l => Math.Exp(l)).ToArray();
        var bandTotals = bands.Select(b => b?.Sum() ?? 0).ToArray();
        var bandTypes = bands.Select(b => b?.Count(c => c > 0) ?? 0).ToArray();
        var scored = maxCells > 0 ? Math.Min(maxCells, cells.Count) : cells.Count;
        var buffer = new int[maxLength];
        double sumUnigram = 0, sumPosition = 0;
        long tokens = 0;
        for (long cell = 0; cell < scored; cell++)
        {
            var length = cells.Length(cell);
            if (length > buffer.Length) Array.Resize(ref buffer, length);
            cells.CopyTokens(cell, buffer);
            for (var p = 0; p < Math.Min(length, maxLength); p++)
            {
                var token = buffer[p];
                if (vocab.IsSpecial(token) || token >= unigram.Length) continue;
                var band = p / BandWidth;
                var inBand = bands[band]?[token] ?? 0;
                sumUnigram -= Math.Log(unigram[token]);
                sumPosition -= bandTotals[band] == 0 ? Math.Log(unigram[token])
                    : Math.Log((inBand + bandTypes[band] * unigram[token]) / (bandTotals[band] + bandTypes[band]));
                tokens++;
            }
        }
        return tokens == 0 ? (double.NaN, double.NaN) : (sumUnigram / tokens, sumPosition / tokens);
    }

    /// <summary>
    /// log p(token) with <paramref name="pseudoCount"/> added to every token's count (additive smoothing), for
    /// every id of the vocabulary: what a model that knows only gene frequencies would output.
    /// </summary>
    public float[] LogFrequencies(double pseudoCount = 0.5)
    {
        var total = Tokens + pseudoCount * counts.Length;
        return counts.Select(c => (float)Math.Log((c + pseudoCount) / total)).ToArray();
    }
}
