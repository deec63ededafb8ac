namespace Geneformer.Evaluation.CellType;

/// <summary>The classifiers of the benchmark (ML.NET), each standardising features on the training cells first.</summary>
public enum ClassifierKind
{
    /// <summary>Multiclass logistic regression: L-BFGS maximum entropy.</summary>
    LogReg,
    /// <summary>Random forest: one-versus-all over ML.NET's binary FastForest (FastForest itself is binary only).</summary>
    Forest,
}
