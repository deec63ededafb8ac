namespace Geneformer.Data.Matrix;

/// <summary>Cuts a stream of cell blocks down to a range of cells, for formats that cannot seek to a cell.</summary>
public static class CellBlockSlicing
{
    /// <summary>
    /// The cells of <paramref name="range"/> from <paramref name="blocks"/> (which start at cell 0 and follow one another):
    /// blocks before the range are skipped, blocks that straddle its ends are cut, and reading stops after its last cell.
    /// </summary>
    public static IEnumerable<CellBlock> Slice(IEnumerable<CellBlock> blocks, CellRange range)
    {
        if (range.Count == 0) yield break;
        foreach (var block in blocks)
        {
            long blockEnd = block.FirstCell + block.CellCount;
            if (blockEnd <= range.First) continue;
            if (block.FirstCell >= range.End) yield break;
            long from = Math.Max(range.First, block.FirstCell), to = Math.Min(range.End, blockEnd);
            yield return from == block.FirstCell && to == blockEnd ? block : Cut(block, (int)(from - block.FirstCell), (int)(to - from));
            if (to == range.End) yield break;
        }
    }

    /// <summary>Cells <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 of one block, as a block of their own.</summary>
    public static CellBlock Cut(CellBlock block, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > block.CellCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"cells {start}..{start + count - 1} of a block of {block.CellCount}");
        int from = block.IndPtr[start], to = block.IndPtr[start + count];
        var indPtr = new int[count + 1];
        for (int i = 0; i <= count; i++) indPtr[i] = block.IndPtr[start + i] - from;
        return new CellBlock(block.FirstCell + start, indPtr, block.GeneIndices[from..to], block.Values[from..to]);
    }
}
