namespace Geneformer.Common.IO;

/// <summary>What a <c>.npy</c> header says: element type (NumPy descr), shape, and where the data starts.</summary>
public sealed record NpyHeader(string Path, string Descr, long[] Shape, int DataOffset)
{
    /// <summary>Rows: the first dimension (1 for a 0-d array).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row: the product of the other dimensions (1 for a 1-D array).</summary>
    public long RowWidth => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    public void EnsureElementType<T>() where T : unmanaged
    {
        if (Descr != Npy.Descr<T>()) throw new InvalidDataException($"{Path}: dtype is '{Descr}', expected '{Npy.Descr<T>()}'");
    }
}
