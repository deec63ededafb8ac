using Geneformer.Data.Matrix;

namespace Geneformer.Evaluation.CellType;

/// <summary>
/// The labelled cells of a file: their labels (as class indices), and their expression for the PCA baseline,
/// log-normalised as log1p(count / cell total x 10,000) when the matrix holds counts (all values whole numbers);
/// otherwise (already normalised or scaled data) used as it is, and <see cref="IsCounts"/> says so.
/// Cells whose label is missing are left out.
/// </summary>
public sealed record LabelledCells(string Path, string LabelColumn, string[] Classes, int[] Labels, int[] FileRows, SparseRows Expression, bool IsCounts, long FileCells)
{
    public static LabelledCells Load(string path, string labelColumn, CellSourceOptions options)
    {
        using var source = CellSources.Open(path, options with { AllowNegativeValues = true });
        if (!source.ObsColumns.Contains(labelColumn))
            throw new ArgumentException($"{source.Path}: no obs column '{labelColumn}'; its columns are: {string.Join(", ", source.ObsColumns)}");
        var raw = source.ReadObsColumn(labelColumn);
        var fileRows = Enumerable.Range(0, raw.Count).Where(i => !string.IsNullOrEmpty(raw[i])).ToArray();
        var classes = fileRows.Select(i => raw[i]!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new InvalidDataException($"{source.Path}: obs column '{labelColumn}' has {classes.Length} distinct label(s); classification needs 2 or more");
        var classOf = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = fileRows.Select(i => classOf[raw[i]!]).ToArray();

        var keep = new bool[raw.Count];
        foreach (var i in fileRows) keep[i] = true;
        var indPtr = new List<long> { 0 };
        var indices = new List<int>();
        var values = new List<float>();
        var counts = true;
        foreach (var block in source.ReadBlocks())
            for (var c = 0; c < block.CellCount; c++)
            {
                if (!keep[block.FirstCell + c]) continue;
                for (var k = block.IndPtr[c]; k < block.IndPtr[c + 1]; k++)
                {
                    var v = block.Values[k];
                    counts &= v >= 0 && v == MathF.Floor(v);
                    indices.Add(block.GeneIndices[k]);
                    values.Add(v);
                }
                indPtr.Add(indices.Count);
            }
        var ptr = indPtr.ToArray();
        var vals = values.ToArray();
        if (counts) LogNormalise(ptr, vals);
        return new LabelledCells(source.Path, labelColumn, classes, labels, fileRows, new SparseRows(source.GeneIds.Count, ptr, indices.ToArray(), vals), counts, source.CellCount);
    }

    private static void LogNormalise(long[] indPtr, float[] values)
    {
        for (var c = 0; c < indPtr.Length - 1; c++)
        {
            double total = 0;
            for (var k = indPtr[c]; k < indPtr[c + 1]; k++) total += values[k];
            if (total <= 0) continue;
            for (var k = indPtr[c]; k < indPtr[c + 1]; k++) values[k] = (float)Math.Log(1 + values[k] / total * 1e4);
        }
    }
}
