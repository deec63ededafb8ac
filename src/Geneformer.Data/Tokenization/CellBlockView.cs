namespace Geneformer.Data.Tokenization;

/// <summary>The CSR arrays of a <see cref="Matrix.CellBlock"/>, so the tokenizer needs nothing else from it.</summary>
public readonly record struct CellBlockView(int[] IndPtr, int[] GeneIndices, float[] Values)
{
    public static implicit operator CellBlockView(Matrix.CellBlock b) => new(b.IndPtr, b.GeneIndices, b.Values);
}
