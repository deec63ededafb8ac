using System.Collections.Concurrent;

namespace Geneformer.Data.Tokenization;

/// <summary>
/// Tokenizes the cells of one block on several threads (one <see cref="RankValueTokenizer"/> each) into a
/// per-block arena; the caller then reads the cells in block order, so the output does not depend on the
/// thread count. A cell that cannot be tokenized is recorded with its error rather than thrown, so the
/// caller reports the first bad cell in input order, as a single-threaded pass would.
/// </summary>
public sealed class ParallelBlockTokenizer
{
    private const int CellsPerTask = 32;

    private readonly ConcurrentBag<RankValueTokenizer> idle = [];
    private readonly Func<RankValueTokenizer> create;
    private readonly ParallelOptions parallel;
    private short[] arena = [];
    private int[] lengths = [];
    private string?[] errors = [];

    public int Threads { get; }
    public int MaxLength { get; }

    /// <param name="create">Makes one tokenizer (each thread needs its own: they hold scratch buffers).</param>
    public ParallelBlockTokenizer(Func<RankValueTokenizer> create, int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "tokenizer threads must be at least 1");
        Threads = threads;
        this.create = create;
        for (int i = 0; i < threads; i++) idle.Add(create());
        MaxLength = idle.First().MaxLength;
        parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <summary>Tokens of cell <paramref name="cell"/> of the last block tokenized.</summary>
    public ReadOnlySpan<short> Tokens(int cell) => arena.AsSpan(cell * MaxLength, lengths[cell]);

    /// <summary>Why cell <paramref name="cell"/> of the last block could not be tokenized; null when it was.</summary>
    public string? Error(int cell) => errors[cell];

    /// <summary>Tokenizes every cell of <paramref name="block"/> for which <paramref name="wanted"/> is true.</summary>
    public void Tokenize(GeneColumnMap columns, CellBlockView block, int cellCount, Func<int, bool> wanted)
    {
        if (lengths.Length < cellCount)
        {
            arena = new short[cellCount * MaxLength];
            lengths = new int[cellCount];
            errors = new string?[cellCount];
        }
        Array.Clear(lengths, 0, cellCount);
        Array.Clear(errors, 0, cellCount);
        if (Threads == 1 || cellCount <= CellsPerTask)
        {
            var single = idle.First();
            for (int c = 0; c < cellCount; c++) One(single, columns, block, c, wanted);
            return;
        }
        Parallel.ForEach(Partitioner.Create(0, cellCount, CellsPerTask), parallel,
            () => idle.TryTake(out var t) ? t : create(),
            (range, _, tokenizer) =>
            {
                for (int c = range.Item1; c < range.Item2; c++) One(tokenizer, columns, block, c, wanted);
                return tokenizer;
            },
            idle.Add);
    }

    private void One(RankValueTokenizer tokenizer, GeneColumnMap columns, CellBlockView block, int c, Func<int, bool> wanted)
    {
        if (!wanted(c)) return;
        int from = block.IndPtr[c], to = block.IndPtr[c + 1];
        int geneCount = columns.TokenOfColumn.Length;
        foreach (var col in block.GeneIndices.AsSpan(from, to - from))
            if ((uint)col >= (uint)geneCount)
            {
                errors[c] = $"gene column {col} is beyond the {geneCount} genes (X indices)";
                return;
            }
        try
        {
            lengths[c] = tokenizer.Tokenize(columns, block, c, arena.AsSpan(c * MaxLength, MaxLength));
        }
        catch (InvalidDataException e)
        {
            errors[c] = e.Message + " (X)";
        }
    }
}
