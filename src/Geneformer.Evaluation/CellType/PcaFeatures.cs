namespace Geneformer.Evaluation.CellType;

public sealed record PcaFeatures(string Name, string Description, SparseRows Expression, int Components, int MaxGenes) : FeatureSet(Name, Description)
{
    public override (float[][] Train, float[][] Test) ForFold(int[] train, int[] test)
    {
        var pca = PcaProjection.Fit(Expression, train, Components, MaxGenes);
        return (pca.Transform(Expression, train), pca.Transform(Expression, test));
    }
}
