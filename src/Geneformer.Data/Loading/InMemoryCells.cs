namespace Geneformer.Data.Loading;

/// <summary>Tokenized cells held in memory (benchmarks and tests that need no corpus on disk).</summary>
public sealed class InMemoryCells(int[][] cells) : ITokenizedCells
{
    public long Count => cells.Length;
    public int Length(long index) => cells[index].Length;

    public int CopyTokens(long index, Span<int> destination)
    {
        cells[index].CopyTo(destination);
        return cells[index].Length;
    }

    /// <summary><paramref name="count"/> cells of <paramref name="length"/> distinct random gene tokens in [firstGene, vocabSize).</summary>
    public static InMemoryCells Random(int count, int length, int vocabSize, int firstGene, int seed)
    {
        var rng = new Random(seed);
        var genes = Enumerable.Range(firstGene, vocabSize - firstGene).ToArray();
        var cells = new int[count][];
        for (var i = 0; i < count; i++)
        {
            rng.Shuffle(genes);
            cells[i] = genes[..Math.Min(length, genes.Length)];
        }
        return new InMemoryCells(cells);
    }
}
