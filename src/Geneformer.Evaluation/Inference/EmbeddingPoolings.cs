namespace Geneformer.Evaluation.Inference;

public static class EmbeddingPoolings
{
    public static EmbeddingPooling Parse(string name) => name.ToLowerInvariant() switch
    {
        "mean" => EmbeddingPooling.Mean,
        "cls" => EmbeddingPooling.Cls,
        "genes" => EmbeddingPooling.Genes,
        _ => throw new ArgumentException($"pooling '{name}' is not one of mean, cls, genes"),
    };
}
