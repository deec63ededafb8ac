using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Tests;

public class ParallelBlockTokenizerTests
{
    private static readonly string[] Genes = Enumerable.Range(0, 300).Select(i => $"ENSG{i:D5}").ToArray();
    private static readonly GeneVocabulary Vocab = GeneVocabulary.Build(Genes, TokenMode.V1);
    private static readonly GeneMedians Medians = new(Genes.Select((g, i) => new KeyValuePair<string, double>(g, 0.5 + i % 7)), "test");

    /// <summary>500 cells of 5-150 random genes with random counts; cells 120 and 410 have a negative count, 300 an out-of-range column.</summary>
    private static CellBlockView Block()
    {
        var rng = new Random(7);
        var indptr = new List<int> { 0 };
        var indices = new List<int>();
        var values = new List<float>();
        for (int c = 0; c < 500; c++)
        {
            foreach (var g in Enumerable.Range(0, Genes.Length).OrderBy(_ => rng.Next()).Take(rng.Next(5, 150)))
            {
                indices.Add(g);
                values.Add(rng.Next(1, 6));
            }
            if (c is 120 or 410) values[^1] = -1;
            if (c == 300) indices[^1] = Genes.Length + 5;
            indptr.Add(indices.Count);
        }
        return new CellBlockView(indptr.ToArray(), indices.ToArray(), values.ToArray());
    }

    [Fact]
    public void Any_thread_count_gives_the_single_thread_tokens_and_errors_cell_by_cell()
    {
        var block = Block();
        var reference = new RankValueTokenizer(Vocab, Medians, TokenMode.V1);
        var columns = reference.MapColumns(Genes);
        var single = new ParallelBlockTokenizer(() => new RankValueTokenizer(Vocab, Medians, TokenMode.V1), 1);
        single.Tokenize(columns, block, 500, c => c % 10 != 3);
        foreach (var threads in new[] { 2, 4 })
        {
            var parallel = new ParallelBlockTokenizer(() => new RankValueTokenizer(Vocab, Medians, TokenMode.V1), threads);
            parallel.Tokenize(columns, block, 500, c => c % 10 != 3);
            for (int c = 0; c < 500; c++)
            {
                Assert.Equal(single.Error(c), parallel.Error(c));
                Assert.Equal(single.Tokens(c).ToArray(), parallel.Tokens(c).ToArray());
            }
        }
        Assert.Contains("-1", single.Error(120));
        Assert.Contains("-1", single.Error(410));
        Assert.Contains($"gene column {Genes.Length + 5}", single.Error(300));
        Assert.True(single.Tokens(3).IsEmpty); // not wanted
        var buffer = new short[reference.MaxLength];
        Assert.Equal(buffer.AsSpan(0, reference.Tokenize(columns, block, 7, buffer)).ToArray(), single.Tokens(7).ToArray());
        Assert.True(single.Tokens(7).Length >= 5);
    }
}
