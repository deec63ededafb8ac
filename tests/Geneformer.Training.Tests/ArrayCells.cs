using Geneformer.Data.Loading;

namespace Geneformer.Training.Tests;

/// <summary>Tokenized cells held in memory, for trainer tests that need no corpus on disk.</summary>
internal sealed class ArrayCells(int[][] cells) : ITokenizedCells
{
    public long Count => cells.Length;
    public int Length(long index) => cells[index].Length;

    public (ArrayCells Head, ArrayCells Tail) Split(int firstCount) => (new(cells[..firstCount]), new(cells[firstCount..]));

    public int CopyTokens(long index, Span<int> destination)
    {
        cells[index].CopyTo(destination);
        return cells[index].Length;
    }

    /// <summary>
    /// Cells of a few "types": each type ranks its own gene program first, in a fixed order, then a noisy
    /// tail; lengths vary. Learnable, so the MLM loss must fall.
    /// </summary>
    public static ArrayCells Learnable(int count, int vocab, int seed, int types = 4, int minLen = 12, int maxLen = 24)
    {
        var rng = new Random(seed);
        var genes = Enumerable.Range(2, vocab - 2).ToArray();
        var programs = Enumerable.Range(0, types).Select(_ => genes.OrderBy(_ => rng.Next()).Take(maxLen).ToArray()).ToArray();
        var cells = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var program = programs[rng.Next(types)];
            var len = rng.Next(minLen, maxLen + 1);
            var core = len * 3 / 4;
            var tail = genes.Except(program.Take(core)).OrderBy(_ => rng.Next()).Take(len - core);
            cells[i] = program.Take(core).Concat(tail).ToArray();
        }
        return new ArrayCells(cells);
    }
}
