using MathNet.Numerics.LinearAlgebra;

namespace Geneformer.Evaluation.CellType;

/// <summary>
/// Principal components fitted on training cells only: the genes with the highest variance (at most
/// <c>maxGenes</c>), centred, projected on the top eigenvectors of their covariance (MathNet). Signs are fixed
/// (largest loading positive) so results do not depend on the eigen solver's sign choice.
/// </summary>
public sealed class PcaProjection
{
    private readonly int[] genes;
    private readonly double[] means;
    private readonly Matrix<double> components; // genes x k

    public int Components => components.ColumnCount;

    private PcaProjection(int[] genes, double[] means, Matrix<double> components)
    {
        this.genes = genes;
        this.means = means;
        this.components = components;
    }

    public static PcaProjection Fit(SparseRows rows, IReadOnlyList<int> trainCells, int components, int maxGenes)
    {
        var (mean, variance) = rows.ColumnMeanVariance(trainCells);
        var genes = Enumerable.Range(0, rows.Columns).Where(g => variance[g] > 0).OrderByDescending(g => variance[g]).ThenBy(g => g).Take(maxGenes).Order().ToArray();
        if (genes.Length == 0) throw new InvalidDataException("no gene varies across the training cells; PCA is impossible");
        var x = rows.Dense(trainCells, genes);
        var geneMeans = genes.Select(g => mean[g]).ToArray();
        for (var i = 0; i < x.RowCount; i++)
            for (var j = 0; j < x.ColumnCount; j++) x[i, j] -= geneMeans[j];
        var covariance = x.TransposeThisAndMultiply(x) / Math.Max(1, x.RowCount - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var k = Math.Min(components, genes.Length);
        var order = Enumerable.Range(0, genes.Length).OrderByDescending(i => evd.EigenValues[i].Real).Take(k).ToArray();
        var basis = Matrix<double>.Build.Dense(genes.Length, k);
        for (var c = 0; c < k; c++)
        {
            var v = evd.EigenVectors.Column(order[c]);
            if (v[v.AbsoluteMaximumIndex()] < 0) v = -v;
            basis.SetColumn(c, v);
        }
        return new PcaProjection(genes, geneMeans, basis);
    }

    /// <summary>Each cell's coordinates on the components.</summary>
    public float[][] Transform(SparseRows rows, IReadOnlyList<int> cells)
    {
        var x = rows.Dense(cells, genes);
        for (var i = 0; i < x.RowCount; i++)
            for (var j = 0; j < x.ColumnCount; j++) x[i, j] -= means[j];
        var projected = x * components;
        return Enumerable.Range(0, cells.Count).Select(i => projected.Row(i).Select(v => (float)v).ToArray()).ToArray();
    }
}
