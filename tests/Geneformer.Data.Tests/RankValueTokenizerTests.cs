using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Tests;

public class RankValueTokenizerTests
{
    // Genes A..E; medians chosen so the hand computation is easy.
    private static readonly GeneVocabulary Vocab = GeneVocabulary.Build(["A", "B", "C", "D", "E"], TokenMode.BioNeMo);
    private static readonly GeneMedians Medians = new([new("A", 1.0), new("B", 2.0), new("C", 4.0), new("D", 0.5), new("E", 1.0)], "test");

    private static short[] Run(RankValueTokenizer tok, string[] columns, int[] idx, float[] counts)
    {
        var map = tok.MapColumns(columns);
        var dest = new short[tok.MaxLength];
        var n = tok.Tokenize(map, idx, counts, dest);
        return dest[..n];
    }

    private static short T(string gene) => (short)Vocab.Id(gene);

    [Fact]
    public void HandComputedExampleInAllModes()
    {
        // Columns: A B C D X(not in vocab). Counts 10, 40, 40, 5, 5: total 100 (X counts in the total).
        // value = count/100*1e4/median: A 1000, B 2000, C 1000, D 1000, X dropped.
        // B first; A, C, D tie at 1000 -> token id order A < C < D.
        string[] cols = ["A", "B", "C", "D", "X"];
        int[] idx = [0, 1, 2, 3, 4];
        float[] counts = [10, 40, 40, 5, 5];
        short[] genes = [T("B"), T("A"), T("C"), T("D")];

        Assert.Equal(genes, Run(new RankValueTokenizer(Vocab, Medians, TokenMode.V1), cols, idx, counts));
        Assert.Equal([(short)Vocab.ClsId, .. genes], Run(new RankValueTokenizer(Vocab, Medians, TokenMode.BioNeMo), cols, idx, counts));
        Assert.Equal([(short)Vocab.ClsId, .. genes, (short)Vocab.EosId], Run(new RankValueTokenizer(Vocab, Medians, TokenMode.V2), cols, idx, counts));
    }

    [Fact]
    public void ZerosAndGenesWithoutMedianAreDroppedButCountInTheTotal()
    {
        var medians = new GeneMedians([new("A", 1.0), new("B", 1.0), new("C", 0.0)], "test");
        var tok = new RankValueTokenizer(Vocab, medians, TokenMode.V1);
        // D has no median, C a zero median, E a zero count: only A and B remain; D's count still in the total.
        var got = Run(tok, ["A", "B", "C", "D", "E"], [0, 1, 2, 3, 4], [1, 3, 7, 9, 0]);
        Assert.Equal([T("B"), T("A")], got);
    }

    [Fact]
    public void TiesBreakByTokenIdWhateverTheColumnOrder()
    {
        var tok = new RankValueTokenizer(Vocab, new GeneMedians(Vocab.Tokens.Skip(5).Select(g => new KeyValuePair<string, double>(g, 1.0)), "t"), TokenMode.V1);
        var got = Run(tok, ["E", "C", "A", "D", "B"], [0, 1, 2, 3, 4], [2, 2, 2, 2, 2]);
        Assert.Equal([T("A"), T("B"), T("C"), T("D"), T("E")], got);
    }

    [Fact]
    public void ValuesEqualInTheTop48BitsStillOrderExactly()
    {
        // Medians differing in the last mantissa bits: B's value is a hair larger than A's, so B comes first
        // although A has the smaller token id.
        var a = 1.0;
        var b = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) - 3);
        var tok = new RankValueTokenizer(Vocab, new GeneMedians([new("A", a), new("B", b)], "t"), TokenMode.V1);
        Assert.Equal([T("B"), T("A")], Run(tok, ["A", "B"], [0, 1], [5, 5]));
    }

    [Fact]
    public void TruncatesToTheModesLength()
    {
        var genes = Enumerable.Range(0, 5000).Select(i => $"G{i:D5}").ToArray();
        var vocab = GeneVocabulary.Build(genes, TokenMode.BioNeMo);
        var medians = new GeneMedians(genes.Select(g => new KeyValuePair<string, double>(g, 1.0)), "t");
        var idx = Enumerable.Range(0, 5000).ToArray();
        var counts = idx.Select(i => (float)(i + 1)).ToArray(); // highest count = last gene
        foreach (var (mode, len, first) in new[] { (TokenMode.V1, 2048, 0), (TokenMode.BioNeMo, 2048, 1), (TokenMode.V2, 4096, 1) })
        {
            var tok = new RankValueTokenizer(vocab, medians, mode);
            var dest = new short[tok.MaxLength];
            var n = tok.Tokenize(tok.MapColumns(genes), idx, counts, dest);
            Assert.Equal(len, n);
            Assert.Equal(vocab.Id("G04999"), dest[first]);
            Assert.Equal(vocab.Id($"G{5000 - (len - first - (mode == TokenMode.V2 ? 1 : 0)):D5}"), dest[n - 1 - (mode == TokenMode.V2 ? 1 : 0)]);
            if (mode == TokenMode.V2) Assert.Equal(vocab.EosId, dest[n - 1]);
        }
        var shortTok = new RankValueTokenizer(vocab, medians, TokenMode.V1, maxLength: 3);
        var d = new short[3];
        Assert.Equal(3, shortTok.Tokenize(shortTok.MapColumns(genes), idx, counts, d));
        Assert.Equal([(short)vocab.Id("G04999"), (short)vocab.Id("G04998"), (short)vocab.Id("G04997")], d);
    }

    [Fact]
    public void DuplicateGeneColumnsAreSummed()
    {
        var tok = new RankValueTokenizer(Vocab, Medians, TokenMode.V1);
        // A appears twice (3 + 3 = 6 -> 600), B once with 8 -> 400.
        Assert.Equal([T("A"), T("B")], Run(tok, ["A", "B", "A"], [0, 1, 2], [3, 8, 3]));
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void BadCountsThrow(float bad)
    {
        var tok = new RankValueTokenizer(Vocab, Medians, TokenMode.V1);
        var e = Assert.Throws<InvalidDataException>(() => Run(tok, ["A", "B"], [0, 1], [1, bad]));
        Assert.Contains("column 1", e.Message);
    }

    [Fact]
    public void MatchesAReferenceImplementationOnRandomCells()
    {
        var rng = new Random(7);
        var genes = Enumerable.Range(0, 3000).Select(i => $"G{i:D5}").ToArray();
        var vocab = GeneVocabulary.Build(genes, TokenMode.V1);
        var medians = new GeneMedians(genes.Select(g => new KeyValuePair<string, double>(g, 0.5 + rng.Next(1, 20) / 4.0)), "t");
        var tok = new RankValueTokenizer(vocab, medians, TokenMode.V1, maxLength: 500);
        var columns = tok.MapColumns(genes);
        var dest = new short[500];
        for (int c = 0; c < 50; c++)
        {
            var idx = Enumerable.Range(0, 3000).Where(_ => rng.NextDouble() < 0.3).ToArray();
            var counts = idx.Select(_ => (float)rng.Next(1, 6)).ToArray();
            double total = counts.Sum(x => (double)x);
            var expected = idx.Select((g, j) => (Token: vocab.Id(genes[g]), Value: counts[j] / total * 10_000 / medians[genes[g]]))
                .OrderByDescending(x => x.Value).ThenBy(x => x.Token).Take(500).Select(x => (short)x.Token).ToArray();
            var n = tok.Tokenize(columns, idx, counts, dest);
            Assert.Equal(expected, dest[..n]);
        }
    }
}
