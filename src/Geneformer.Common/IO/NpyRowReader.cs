using System.Runtime.InteropServices;

namespace Geneformer.Common.IO;

/// <summary>
/// Reads a C-ordered <c>.npy</c> array row by row, a bounded number of rows at a time, so files larger than
/// memory can be copied or merged. The element type must match the file's exactly.
/// </summary>
public sealed class NpyRowReader<T> : IDisposable where T : unmanaged
{
    private readonly FileStream stream;

    public NpyHeader Header { get; }
    public long Rows => Header.Rows;
    /// <summary>Elements per row (1 for a 1-D array).</summary>
    public long RowWidth => Header.RowWidth;
    public long RowsRead { get; private set; }

    public NpyRowReader(string path)
    {
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            Header = Npy.ReadHeader(stream, path);
            Header.EnsureElementType<T>();
            var expectedBytes = Header.DataOffset + Rows * RowWidth * Marshal.SizeOf<T>();
            if (stream.Length != expectedBytes)
                throw new InvalidDataException($"{path}: {stream.Length} bytes, but its header ({Header.Descr}, shape ({string.Join(", ", Header.Shape)})) needs {expectedBytes}");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The next <paramref name="rows"/> rows (fewer at the end of the file; none once all are read).</summary>
    public T[] Read(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var take = Math.Min(rows, Rows - RowsRead);
        var data = new T[checked((int)(take * RowWidth))];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            throw new InvalidDataException($"{Header.Path}: ended after {RowsRead} of its {Rows} rows; the file changed while being read");
        RowsRead += take;
        return data;
    }

    public void Dispose() => stream.Dispose();
}
