using System.IO.Compression;

namespace Geneformer.Data.TenX;

/// <summary>Lines of a plain or gzip-compressed (.gz) text file.</summary>
internal static class TextLines
{
    public static StreamReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new StreamReader(new GZipStream(stream, CompressionMode.Decompress), bufferSize: 1 << 16)
            : new StreamReader(stream, bufferSize: 1 << 16);
    }

    /// <summary>Non-empty lines split on tabs (10x features/genes/barcodes files).</summary>
    public static List<string[]> ReadTsv(string path)
    {
        var rows = new List<string[]>();
        using var reader = Open(path);
        try
        {
            while (reader.ReadLine() is { } line)
                if (line.Length > 0) rows.Add(line.Split('\t'));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: unreadable ({e.Message}); the file may be truncated or corrupt", e);
        }
        return rows;
    }
}
