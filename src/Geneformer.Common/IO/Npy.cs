using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Geneformer.Common.IO;

/// <summary>
/// NumPy <c>.npy</c> (format 1.0) for C-ordered arrays of float32, float16, int64, int32 and bool.
/// Written by hand because the format is a 10-line header plus raw little-endian data and no maintained
/// .NET package writes it without pulling in a whole numerics stack.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static string Descr<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => "<f4",
        var t when t == typeof(Half) => "<f2",
        var t when t == typeof(long) => "<i8",
        var t when t == typeof(int) => "<i4",
        var t when t == typeof(short) => "<i2",
        var t when t == typeof(bool) => "|b1",
        var t => throw new NotSupportedException($"npy: element type {t.Name} is not supported"),
    };

    /// <summary>The header for an array of the given shape; data of that many elements follows it.</summary>
    public static byte[] Header<T>(params long[] shape) where T : unmanaged
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{Descr<T>()}', 'fortran_order': False, 'shape': ({dims}), }}";
        var unpadded = Magic.Length + 2 + dict.Length + 1;
        var padded = (unpadded + 63) / 64 * 64;
        var text = dict + new string(' ', padded - unpadded) + "\n";
        var header = new byte[Magic.Length + 2 + text.Length];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(Magic.Length), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + 2));
        return header;
    }

    public static void Write<T>(string path, ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length) throw new ArgumentException($"npy: shape ({string.Join(", ", shape)}) holds {count} elements but {data.Length} were given");
        var bytes = MemoryMarshal.AsBytes(data);
        var header = Header<T>(shape);
        var all = new byte[header.Length + bytes.Length];
        header.CopyTo(all, 0);
        bytes.CopyTo(all.AsSpan(header.Length));
        Durable.WriteAllBytes(path, all);
    }

    /// <summary>Reads an array written by NumPy or by <see cref="Write{T}"/>; the element type must match exactly.</summary>
    public static (T[] Data, long[] Shape) Read<T>(string path) where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        var header = ParseHeader(bytes, path);
        header.EnsureElementType<T>();
        var data = MemoryMarshal.Cast<byte, T>(bytes.AsSpan(header.DataOffset)).ToArray();
        return (data, header.Shape);
    }

    /// <summary>Reads the header at the start of <paramref name="stream"/>, leaving the stream at the first data byte.</summary>
    public static NpyHeader ReadHeader(Stream stream, string path)
    {
        var lead = new byte[12];
        if (stream.ReadAtLeast(lead.AsSpan(0, 10), 10, throwOnEndOfStream: false) < 10) throw new InvalidDataException($"{path}: not a .npy file (too short)");
        var lengthBytes = lead[6] == 1 ? 2 : 4;
        if (lengthBytes == 4 && stream.ReadAtLeast(lead.AsSpan(10, 2), 2, throwOnEndOfStream: false) < 2) throw new InvalidDataException($"{path}: not a .npy file (too short)");
        var prefix = lengthBytes == 2 ? 10 : 12;
        var headerLength = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(lead.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(lead.AsSpan(8));
        var all = new byte[prefix + headerLength];
        lead.AsSpan(0, prefix).CopyTo(all);
        if (stream.ReadAtLeast(all.AsSpan(prefix), headerLength, throwOnEndOfStream: false) < headerLength) throw new InvalidDataException($"{path}: .npy header cut short");
        return ParseHeader(all, path);
    }

    private static NpyHeader ParseHeader(byte[] bytes, string path)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic.AsSpan(0, 6)))
            throw new InvalidDataException($"{path}: not a .npy file");
        int headerLen, offset;
        if (bytes[6] == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); offset = 10; }
        else { headerLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)); offset = 12; }
        if (offset + headerLen > bytes.Length) throw new InvalidDataException($"{path}: .npy header cut short");
        var header = Encoding.ASCII.GetString(bytes, offset, headerLen);
        var descr = DescrPattern().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: Fortran-ordered arrays are not supported");
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return new NpyHeader(path, descr, shape, offset + headerLen);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")] private static partial Regex ShapePattern();
}
