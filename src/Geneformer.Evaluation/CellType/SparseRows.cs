using MathNet.Numerics.LinearAlgebra;

namespace Geneformer.Evaluation.CellType;

/// <summary>A cells x genes matrix held as CSR rows (the whole file in memory: the benchmark's labelled sets are small).</summary>
public sealed class SparseRows(int columns, long[] indPtr, int[] indices, float[] values)
{
    public int Columns => columns;
    public int Rows => indPtr.Length - 1;

    public (double[] Mean, double[] Variance) ColumnMeanVariance(IReadOnlyList<int> cells)
    {
        var sum = new double[columns];
        var sumSq = new double[columns];
        foreach (var c in cells)
            for (var k = indPtr[c]; k < indPtr[c + 1]; k++)
            {
                sum[indices[k]] += values[k];
                sumSq[indices[k]] += (double)values[k] * values[k];
            }
        var n = Math.Max(1, cells.Count);
        var mean = sum.Select(s => s / n).ToArray();
        var variance = sumSq.Select((s, g) => Math.Max(0, s / n - mean[g] * mean[g])).ToArray();
        return (mean, variance);
    }

    public Matrix<double> Dense(IReadOnlyList<int> cells, int[] genes)
    {
        var column = new int[columns];
        Array.Fill(column, -1);
        for (var j = 0; j < genes.Length; j++) column[genes[j]] = j;
        var m = Matrix<double>.Build.Dense(cells.Count, genes.Length);
        for (var i = 0; i < cells.Count; i++)
            for (var k = indPtr[cells[i]]; k < indPtr[cells[i] + 1]; k++)
                if (column[indices[k]] is var j and >= 0) m[i, j] += values[k];
        return m;
    }
}
