namespace Geneformer.Evaluation.Inference;

/// <summary>
/// Consecutive cells' embeddings, in input order. Per-cell pooling: <see cref="Vectors"/> is [Cells x Hidden]
/// and <see cref="GeneOffsets"/> is null. Per-gene: <see cref="Vectors"/> is [total gene tokens x Hidden], cell
/// <c>i</c>'s rows are <c>GeneOffsets[i]..GeneOffsets[i+1]</c> and <see cref="GeneTokens"/> holds their token ids.
/// </summary>
public sealed record EmbeddedCells(long FirstCell, int Cells, int Hidden, float[] Vectors, int[]? GeneOffsets, int[]? GeneTokens);
