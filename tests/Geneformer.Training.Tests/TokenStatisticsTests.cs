using Geneformer.Data.Loading;
using Geneformer.Training.Learning;

namespace Geneformer.Training.Tests;

public class TokenStatisticsTests
{
    private static readonly MaskingVocabulary Vocab = new(10, padTokenId: 0, maskTokenId: 1, [2]);

    [Fact]
    public void Unigram_and_rank_band_entropies_are_those_of_the_gene_tokens_masking_can_select()
    {
        // Band width 2: positions 0-1 always hold genes 3 and 4, positions 2-3 genes 5 and 6; special token 2 is never counted.
        var cells = new InMemoryCells([[2, 3, 4, 5, 6], [2, 4, 3, 6, 5]]);
        var stats = TokenStatistics.Measure(cells, Vocab, maxLength: 5, maxCells: 10, bandWidth: 2);
        Assert.Equal(8, stats.Tokens);
        Assert.Equal(4, stats.DistinctTokens);
        Assert.Equal(Math.Log(4), stats.UnigramEntropy, 1e-12);
        // Band 0 (positions 0-1, special token skipped): genes 3 and 4, log 2; band 1 (positions 2-3): four genes once each, log 4; band 2: 6 and 5, log 2.
        Assert.Equal((2 * Math.Log(2) + 4 * Math.Log(4) + 2 * Math.Log(2)) / 8, stats.PositionEntropy, 1e-12);
    }

    [Fact]
    public void Tokens_beyond_the_maximum_length_are_not_counted()
    {
        var cells = new InMemoryCells([[3, 4, 5, 6, 7, 8]]);
        var stats = TokenStatistics.Measure(cells, Vocab, maxLength: 3, maxCells: 10);
        Assert.Equal(3, stats.Tokens);
        Assert.Equal(0, stats.CountOf(6));
    }

    [Fact]
    public void A_large_split_is_sampled_evenly_and_the_same_way_every_time()
    {
        var cells = new InMemoryCells(Enumerable.Range(0, 100).Select(i => new[] { 3 + i % 7 }).ToArray());
        var a = TokenStatistics.Measure(cells, Vocab, maxLength: 4, maxCells: 10);
        var b = TokenStatistics.Measure(cells, Vocab, maxLength: 4, maxCells: 10);
        Assert.Equal(10, a.Cells);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(3 + i * 10 % 7)).Order(), Enumerable.Range(3, 7).SelectMany(t => Enumerable.Repeat((long)t, (int)a.CountOf(t))).Order());
        Assert.Equal(a.UnigramEntropy, b.UnigramEntropy);
    }

    [Fact]
    public void Log_frequencies_are_smoothed_so_unseen_genes_get_a_finite_low_value()
    {
        var stats = TokenStatistics.Measure(new InMemoryCells([[3, 3, 4]]), Vocab, maxLength: 3, maxCells: 1);
        var logp = stats.LogFrequencies(pseudoCount: 0.5);
        var total = 3 + 0.5 * 10;
        Assert.Equal(Math.Log(2.5 / total), logp[3], 1e-6);
        Assert.Equal(Math.Log(1.5 / total), logp[4], 1e-6);
        Assert.Equal(Math.Log(0.5 / total), logp[9], 1e-6);
        Assert.Equal(1.0, logp.Sum(v => Math.Exp(v)), 1e-6);
    }

    [Fact]
    public void Frequency_only_predictors_score_other_cells_with_smoothed_gene_and_rank_band_frequencies()
    {
        // Training cells: gene 3 always first, gene 4 always second (bands of one position).
        var stats = TokenStatistics.Measure(new InMemoryCells([[3, 4], [3, 4]]), Vocab, maxLength: 2, maxCells: 10, bandWidth: 1);
        var (unigram, position) = stats.CrossEntropyOn(new InMemoryCells([[3, 4], [4, 3]]), Vocab, maxCells: 0);
        var p = 2.5 / (4 + 0.5 * 10); // gene 3 or 4, add-half smoothing over 10 ids
        Assert.Equal(-Math.Log(p), unigram, 1e-6);
        // Witten-Bell: each band saw 2 tokens of 1 gene. In order: (2 + p) / 3; swapped: p / 3.
        Assert.Equal(-(Math.Log((2 + p) / 3) + Math.Log(p / 3)) / 2, position, 1e-6);
    }
}
