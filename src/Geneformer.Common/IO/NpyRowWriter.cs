using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Geneformer.Common.IO;

/// <summary>
/// Streams a 2-D (or 1-D) C-ordered <c>.npy</c> array row by row into a hidden temporary sibling, and renames it
/// into place only on <see cref="Complete"/>: a failure part-way leaves nothing at the target path. The header
/// has a fixed reserved size and is rewritten with the real row count at the end, so the number of rows need
/// not be known in advance.
/// </summary>
public sealed class NpyRowWriter<T> : IDisposable where T : unmanaged
{
    private const int ReservedHeaderBytes = 128;
    private readonly string path;
    private readonly string tmp;
    private readonly FileStream stream;
    private readonly long? expectedRows;
    private bool completed;

    /// <summary>Elements per row; 0 = a 1-D array (one element per row).</summary>
    public long RowWidth { get; }
    public long Rows { get; private set; }

    public NpyRowWriter(string path, long rowWidth, long? expectedRows = null)
    {
        if (rowWidth < 0) throw new ArgumentOutOfRangeException(nameof(rowWidth));
        this.path = Path.GetFullPath(path);
        RowWidth = rowWidth;
        this.expectedRows = expectedRows;
        var dir = Path.GetDirectoryName(this.path)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: the output folder {dir} does not exist");
        tmp = Durable.TempSibling(this.path);
        stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write(Header(0));
    }

    /// <summary>Appends whole rows (a multiple of <see cref="RowWidth"/> elements; any count for a 1-D array).</summary>
    public void Append(ReadOnlySpan<T> rows)
    {
        var width = Math.Max(1, RowWidth);
        if (rows.Length % width != 0) throw new ArgumentException($"npy: {rows.Length} elements is not a whole number of rows of {width}");
        stream.Write(MemoryMarshal.AsBytes(rows));
        Rows += rows.Length / width;
    }

    /// <summary>Writes the final header, fsyncs and renames the file into place.</summary>
    public void Complete()
    {
        if (expectedRows is { } e && e != Rows) throw new InvalidOperationException($"{path}: {Rows} rows written, {e} expected");
        stream.Position = 0;
        stream.Write(Header(Rows));
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(tmp, path, overwrite: true);
        Durable.FsyncDirectory(Path.GetDirectoryName(path)!);
        completed = true;
    }

    private byte[] Header(long rows)
    {
        var header = RowWidth == 0 ? Npy.Header<T>(rows) : Npy.Header<T>(rows, RowWidth);
        if (header.Length > ReservedHeaderBytes) throw new InvalidOperationException("npy header does not fit its reserved size");
        // Pad the header dictionary with spaces to the reserved size (still ending in '\n', still a multiple of 64).
        var padded = new byte[ReservedHeaderBytes];
        header.AsSpan(0, header.Length - 1).CopyTo(padded);
        padded.AsSpan(header.Length - 1).Fill((byte)' ');
        padded[^1] = (byte)'\n';
        BinaryPrimitives.WriteUInt16LittleEndian(padded.AsSpan(8, 2), ReservedHeaderBytes - 10);
        return padded;
    }

    public void Dispose()
    {
        if (completed) return;
        stream.Dispose();
        if (File.Exists(tmp)) File.Delete(tmp);
    }
}
