namespace Geneformer.Evaluation.CellType;

/// <summary>Features for the classifier: fixed per cell (embeddings), or fitted on each fold's training cells (PCA).</summary>
public abstract record FeatureSet(string Name, string Description)
{
    /// <summary>Features of the training and test cells (indices into the labelled cells); anything fitted sees the training cells only.</summary>
    public abstract (float[][] Train, float[][] Test) ForFold(int[] train, int[] test);
}
