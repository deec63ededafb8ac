using Geneformer.Data.Loading;

using Xunit.Abstractions;

namespace Geneformer.Training.Tests;

/// <summary>
/// MLM masking measured against the model card: over 101,600 gene tokens of cells laid out as Geneformer's
/// (&lt;cls&gt;, distinct genes, &lt;eos&gt;; a vocabulary of 25,429 with four special tokens), the share selected
/// and the mask / random / keep split each within 4 standard deviations of the configured rates.
/// </summary>
public class MaskingStatisticsTests(ITestOutputHelper output)
{
    private const int Pad = 0, Mask = 1, Cls = 2, Eos = 3, VocabSize = 25_429, Cells = 400, Length = 256;
    private static readonly MaskingVocabulary Vocab = new(VocabSize, Pad, Mask, [Cls, Eos]);

    public static TheoryData<string, double, double> Splits => new()
    {
        { "BERT 80/10/10", 0.8, 0.1 },
        { "BioNeMo 80/2/18", MlmMasking.BioNeMo.MaskFraction, MlmMasking.BioNeMo.RandomFraction },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Selection_and_split_are_within_4_standard_deviations_and_never_touch_special_tokens(string name, double maskFraction, double randomFraction)
    {
        var masking = new MlmMasking { SelectProbability = 0.15, MaskFraction = maskFraction, RandomFraction = randomFraction };
        var rng = new Random(5);
        long genes = 0, selected = 0, masked = 0, randomised = 0, kept = 0;
        var positions = new int[Length];
        var labels = new int[Length];
        for (var cell = 0; cell < Cells; cell++)
        {
            var tokens = new int[Length];
            tokens[0] = Cls;
            tokens[^1] = Eos;
            var drawn = Vocab.GeneTokenIds.OrderBy(_ => rng.Next()).Take(Length - 2).ToArray(); // a cell's genes are distinct
            drawn.CopyTo(tokens, 1);
            var original = (int[])tokens.Clone();
            var n = masking.Apply(tokens, 42, cell % 3, cell, Vocab, positions, labels);
            for (var k = 0; k < n; k++)
            {
                var at = positions[k];
                Assert.False(Vocab.IsSpecial(original[at]), $"cell {cell}: special token {original[at]} at {at} was selected");
                Assert.Equal(original[at], labels[k]);
                if (tokens[at] == Mask) masked++;
                else if (tokens[at] == original[at]) kept++; // a random draw of the same gene (1 in 25,425) counts here
                else
                {
                    Assert.False(Vocab.IsSpecial(tokens[at]), $"cell {cell}: replaced by special token {tokens[at]}");
                    randomised++;
                }
            }
            for (var i = 0; i < Length; i++)
                if (!positions.AsSpan(0, n).Contains(i)) Assert.Equal(original[i], tokens[i]);
            genes += Length - 2;
            selected += n;
        }
        Assert.True(genes >= 100_000);
        output.WriteLine($"{name}: {genes:N0} gene tokens, selected {Share(selected, genes)}, of which mask {Share(masked, selected)}, random {Share(randomised, selected)}, keep {Share(kept, selected)}");
        AssertWithin4Sd("selected", selected, genes, 0.15);
        AssertWithin4Sd("mask", masked, selected, maskFraction);
        AssertWithin4Sd("random", randomised, selected, randomFraction);
        AssertWithin4Sd("keep", kept, selected, 1 - maskFraction - randomFraction);
    }

    private static string Share(long part, long whole) => $"{part:N0} ({100.0 * part / whole:0.00}%)";

    private static void AssertWithin4Sd(string what, long count, long trials, double p)
    {
        var sd = Math.Sqrt(p * (1 - p) / trials);
        var share = count / (double)trials;
        Assert.True(Math.Abs(share - p) <= 4 * sd, $"{what}: {share:0.0000} of {trials:N0}, configured {p} (4 sd = {4 * sd:0.0000})");
    }
}
