namespace Geneformer.Evaluation.Inference;

/// <summary>Keeps per-cell embeddings in memory as one [cells x hidden] array.</summary>
public sealed class InMemoryEmbeddings : IEmbeddingSink
{
    private readonly List<float> vectors = [];

    public int Hidden { get; private set; }
    public long Cells { get; private set; }

    public void Write(EmbeddedCells cells)
    {
        if (cells.GeneOffsets is not null) throw new InvalidOperationException("in-memory embeddings hold one vector per cell; use mean or cls pooling");
        Hidden = cells.Hidden;
        Cells += cells.Cells;
        vectors.AddRange(cells.Vectors);
    }

    public float[] ToArray() => vectors.ToArray();
}
