using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Geneformer.Data.AnnData;

/// <summary>
/// Reads numeric HDF5 datasets into the element type the caller wants. PureHDF's <c>Read&lt;T&gt;</c> does no
/// conversion (a different element size throws, the same size silently reinterprets bits), so every read
/// dispatches on the stored type class, size and signedness and converts afterwards.
/// </summary>
internal static class H5Numbers
{
    public static bool IsNumeric(IH5DataType type) => type.Class switch
    {
        H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint => true,
        H5DataTypeClass.Enumerated => IsNumeric(type.Enumeration.BaseType),
        _ => false,
    };

    /// <summary>True for h5py's boolean encoding: a 1-byte enum (FALSE = 0, TRUE = 1).</summary>
    public static bool IsBoolean(IH5DataType type) => type.Class == H5DataTypeClass.Enumerated && type.Size == 1;

    public static bool IsFloatingPoint(IH5DataType type) => type.Class == H5DataTypeClass.FloatingPoint;

    /// <summary>
    /// A chunk cache that lives across reads of one dataset. Without it PureHDF builds a new cache per read, so a
    /// compressed chunk that straddles two blocks is decompressed twice. Memory: at most <paramref name="bytes"/>.
    /// </summary>
    public static H5DatasetAccess CachedAccess(long bytes = 16 << 20) => new(null!, null!, new SimpleReadingChunkCache(64, (ulong)bytes));

    /// <summary>Reads the selection (all of the dataset when null) with its stored element type: sbyte[] ... double[].</summary>
    public static Array ReadRaw(IH5Dataset dataset, Selection? selection, string where, H5DatasetAccess? access = null)
    {
        var type = dataset.Type;
        if (type.Class == H5DataTypeClass.Enumerated) type = type.Enumeration.BaseType;
        var native = access is null ? null : dataset as NativeDataset;
        T Read<T>() => native is null ? dataset.Read<T>(selection) : native.Read<T>(access!.Value, selection);
        return H5Guard.Run(where, () => (type.Class, type.Size, type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned) switch
        {
            (H5DataTypeClass.FloatingPoint, 4, _) => (Array)Read<float[]>(),
            (H5DataTypeClass.FloatingPoint, 8, _) => Read<double[]>(),
            (H5DataTypeClass.FixedPoint, 1, true) => Read<sbyte[]>(),
            (H5DataTypeClass.FixedPoint, 1, false) => Read<byte[]>(),
            (H5DataTypeClass.FixedPoint, 2, true) => Read<short[]>(),
            (H5DataTypeClass.FixedPoint, 2, false) => Read<ushort[]>(),
            (H5DataTypeClass.FixedPoint, 4, true) => Read<int[]>(),
            (H5DataTypeClass.FixedPoint, 4, false) => Read<uint[]>(),
            (H5DataTypeClass.FixedPoint, 8, true) => Read<long[]>(),
            (H5DataTypeClass.FixedPoint, 8, false) => Read<ulong[]>(),
            _ => throw new InvalidDataException(
                $"{where}: expected numbers (integer or float32/float64), found HDF5 {dataset.Type.Class} of {dataset.Type.Size} bytes"),
        });
    }

    public static Selection Range(long start, long count) => new HyperslabSelection((ulong)start, (ulong)count);

    public static long Length(IH5Dataset dataset) => dataset.Space.Dimensions.Length == 0 ? 1 : (long)dataset.Space.Dimensions[0];

    public static long[] ReadInt64(IH5Dataset dataset, string where, long start = 0, long count = -1)
    {
        var raw = ReadSlice(dataset, where, start, count);
        if (raw is long[] l) return l;
        if (raw is int[] n)
        {
            var widened = new long[n.Length];
            for (int i = 0; i < n.Length; i++) widened[i] = n[i];
            return widened;
        }
        if (raw is float[] or double[])
            throw new InvalidDataException($"{where}: expected integers, found floating-point values");
        var result = new long[raw.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Convert.ToInt64(raw.GetValue(i));
        return result;
    }

    /// <summary>Column or row indices: integers that must fit an int (they index genes or cells).</summary>
    public static int[] ReadIndices(IH5Dataset dataset, string where, long start, long count, H5DatasetAccess? access = null)
    {
        var raw = ReadSlice(dataset, where, start, count, access);
        switch (raw)
        {
            case int[] i: return i;
            case long[] l:
                var result = new int[l.Length];
                for (int k = 0; k < l.Length; k++)
                    result[k] = l[k] is >= 0 and <= int.MaxValue ? (int)l[k]
                        : throw new InvalidDataException($"{where}: index {l[k]} at position {start + k} is out of range");
                return result;
            case float[] or double[]:
                throw new InvalidDataException($"{where}: expected integer indices, found floating-point values");
            default:
                var converted = new int[raw.Length];
                for (int k = 0; k < raw.Length; k++) converted[k] = Convert.ToInt32(raw.GetValue(k));
                return converted;
        }
    }

    public static float[] ReadSingle(IH5Dataset dataset, string where, long start, long count, H5DatasetAccess? access = null) =>
        ToSingle(ReadSlice(dataset, where, start, count, access));

    public static float[] ReadSingle(IH5Dataset dataset, Selection selection, string where, H5DatasetAccess? access = null) =>
        ToSingle(ReadRaw(dataset, selection, where, access));

    public static float[] ToSingle(Array raw)
    {
        switch (raw)
        {
            case float[] f: return f;
            case double[] d:
                var fromDouble = new float[d.Length];
                for (int i = 0; i < d.Length; i++) fromDouble[i] = (float)d[i];
                return fromDouble;
            case int[] n:
                var fromInt = new float[n.Length];
                for (int i = 0; i < n.Length; i++) fromInt[i] = n[i];
                return fromInt;
            case uint[] u:
                var fromUInt = new float[u.Length];
                for (int i = 0; i < u.Length; i++) fromUInt[i] = u[i];
                return fromUInt;
            case long[] l:
                var fromLong = new float[l.Length];
                for (int i = 0; i < l.Length; i++) fromLong[i] = l[i];
                return fromLong;
            default:
                var result = new float[raw.Length];
                for (int i = 0; i < result.Length; i++) result[i] = Convert.ToSingle(raw.GetValue(i));
                return result;
        }
    }

    private static Array ReadSlice(IH5Dataset dataset, string where, long start, long count, H5DatasetAccess? access = null)
    {
        if (count == 0) return Array.Empty<long>();
        return ReadRaw(dataset, count < 0 ? null : Range(start, count), where, access);
    }
}
