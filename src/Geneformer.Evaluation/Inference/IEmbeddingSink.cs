namespace Geneformer.Evaluation.Inference;

/// <summary>Where embeddings go (files, or memory for the benchmark). Receives windows in input order.</summary>
public interface IEmbeddingSink
{
    void Write(EmbeddedCells cells);
}
