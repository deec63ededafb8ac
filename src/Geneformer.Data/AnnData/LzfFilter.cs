using PureHDF.Filters;

namespace Geneformer.Data.AnnData;

/// <summary>
/// HDF5 filter 32000 (h5py's LZF) for PureHDF, which ships none. Call <see cref="EnsureRegistered"/> before opening files.
/// </summary>
public sealed class LzfFilter : IH5Filter
{
    public const ushort Id = 32000;
    private static readonly object Gate = new();
    private static bool registered;

    public ushort FilterId => Id;

    public string Name => "lzf";

    /// <summary>Registers the filter with PureHDF once per process.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered) return;
            H5Filter.Register(new LzfFilter());
            registered = true;
        }
    }

    public Memory<byte> Filter(FilterInfo info)
    {
        if (!info.Flags.HasFlag(H5FilterFlags.Decompress))
            throw new NotSupportedException("LZF compression (writing) is not supported; only reading.");

        // h5py stores the uncompressed chunk size as the third filter parameter; fall back to the chunk size.
        int rawSize = info.Parameters is { Length: >= 3 } p && p[2] > 0 ? (int)p[2] : info.ChunkSize;
        var input = info.Buffer.Span;
        var output = new byte[rawSize];
        int written = LzfDecoder.TryDecode(input, output);
        if (written == rawSize) return output;

        // h5py leaves a chunk uncompressed when LZF would not shrink it and marks the filter as skipped, but
        // PureHDF 2.2.0 misreads that mask and still calls the filter: such a chunk is exactly the raw size.
        if (input.Length == rawSize) return info.Buffer;

        throw new InvalidDataException(
            $"LZF chunk does not decode: {input.Length} compressed bytes gave {(written < 0 ? "invalid data" : written + " bytes")}, expected {rawSize} bytes.");
    }

    public uint[] GetParameters(uint[] chunkDimensions, uint typeSize, Dictionary<string, object>? options) =>
        throw new NotSupportedException("LZF compression (writing) is not supported; only reading.");
}
