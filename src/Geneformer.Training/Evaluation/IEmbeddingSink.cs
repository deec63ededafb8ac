namespace Geneformer.Training.Evaluation;

/// <summary>
/// Consecutive cells' embeddings, in input order. Per-cell pooling: <see cref="Vectors"/> is [Cells x Hidden]
/// and <see cref="GeneOffsets"/> is null. Per-gene: <see cref="Vectors"/> is [total gene tokens x Hidden], cell
/// <c>i</c>'s rows are <c>GeneOffsets[i]..GeneOffsets[i+1]</c> and <see cref="GeneTokens"/> holds their token ids.
/// </summary>
public sealed record EmbeddedCells(long FirstCell, int Cells, int Hidden, float[] Vectors, int[]? GeneOffsets, int[]? GeneTokens);

/// <summary>Where embeddings go (files, or memory for the benchmark). Receives windows in input order.</summary>
public interface IEmbeddingSink
{
    void Write(EmbeddedCells cells);
}

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
