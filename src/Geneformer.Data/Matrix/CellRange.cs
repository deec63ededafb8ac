namespace Geneformer.Data.Matrix;

/// <summary>Consecutive cells <c>First .. First + Count - 1</c> of a source, in file order.</summary>
public readonly record struct CellRange
{
    public long First { get; }
    public long Count { get; }
    public long End => First + Count;

    public CellRange(long first, long count)
    {
        if (first < 0) throw new ArgumentOutOfRangeException(nameof(first), first, "a cell range starts at cell 0 or later");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "a cell range holds 0 or more cells");
        First = first;
        Count = count;
    }

    /// <summary>Every cell of a source of <paramref name="cellCount"/> cells.</summary>
    public static CellRange All(long cellCount) => new(0, cellCount);

    /// <summary>Throws naming <paramref name="what"/> when this range reaches past the source's <paramref name="cellCount"/> cells.</summary>
    public void EnsureWithin(long cellCount, string what)
    {
        if (End > cellCount) throw new ArgumentOutOfRangeException(nameof(cellCount), $"{what}: cells {First}..{End - 1} asked for, but it has {cellCount} cells");
    }

    public override string ToString() => Count == 0 ? $"no cells (at {First})" : $"cells {First}..{End - 1}";
}
