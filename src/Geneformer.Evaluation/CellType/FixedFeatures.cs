namespace Geneformer.Evaluation.CellType;

public sealed record FixedFeatures(string Name, string Description, float[][] Rows) : FeatureSet(Name, Description)
{
    public override (float[][] Train, float[][] Test) ForFold(int[] train, int[] test) => (train.Select(i => Rows[i]).ToArray(), test.Select(i => Rows[i]).ToArray());
}
