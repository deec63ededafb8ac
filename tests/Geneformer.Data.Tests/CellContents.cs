using Geneformer.Data.Matrix;

namespace Geneformer.Data.Tests;

/// <summary>Every cell of a source as (gene id, value) pairs sorted by gene, for comparing sources and block sizes exactly.</summary>
public static class CellContents
{
    public static List<(string Gene, float Value)[]> Read(ICellSource source, int cellsPerBlock = 1024)
    {
        var cells = new List<(string, float)[]>();
        foreach (var block in source.ReadBlocks(cellsPerBlock))
        {
            Assert.Equal(cells.Count, block.FirstCell);
            for (int c = 0; c < block.CellCount; c++)
            {
                var range = block.IndPtr[c]..block.IndPtr[c + 1];
                cells.Add(block.GeneIndices[range].Zip(block.Values[range], (g, v) => (source.GeneIds[g], v)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToArray());
            }
        }
        return cells;
    }

    public static void AssertEqual(List<(string Gene, float Value)[]> expected, List<(string Gene, float Value)[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].SequenceEqual(actual[i]), $"cell {i} differs");
    }
}
