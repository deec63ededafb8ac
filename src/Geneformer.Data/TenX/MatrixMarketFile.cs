using System.Globalization;

namespace Geneformer.Data.TenX;

/// <summary>
/// A MatrixMarket coordinate file (Cell Ranger's matrix.mtx(.gz): genes x cells, 1-based, integer or real values),
/// read as a forward-only stream of entries.
/// </summary>
internal sealed class MatrixMarketFile
{
    private MatrixMarketFile(string path, int rows, int columns, long entries, bool pattern)
    {
        Path = path;
        Rows = rows;
        Columns = columns;
        Entries = entries;
        IsPattern = pattern;
    }

    public string Path { get; }

    /// <summary>Genes, for Cell Ranger files.</summary>
    public int Rows { get; }

    /// <summary>Cells (barcodes), for Cell Ranger files.</summary>
    public int Columns { get; }

    public long Entries { get; }

    /// <summary>"pattern" files store positions only; every entry counts as 1.</summary>
    public bool IsPattern { get; }

    public static MatrixMarketFile Open(string path)
    {
        using var reader = TextLines.Open(path);
        var banner = reader.ReadLine() ?? "";
        var words = banner.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToArray();
        if (words.Length < 5 || words[0] != "%%matrixmarket" || words[1] != "matrix")
            throw new InvalidDataException($"{path}: not a MatrixMarket file (first line '{Shorten(banner)}')");
        if (words[2] != "coordinate" || words[4] != "general" || words[3] is not ("integer" or "real" or "pattern"))
            throw new InvalidDataException($"{path}: MatrixMarket '{string.Join(' ', words[2..])}' is not supported; expected coordinate integer/real/pattern general");
        string? line;
        while ((line = reader.ReadLine()) is not null && (line.StartsWith('%') || line.Trim().Length == 0)) { }
        var size = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (size is not { Length: 3 } || !int.TryParse(size[0], out int rows) || !int.TryParse(size[1], out int columns) || !long.TryParse(size[2], out long entries))
            throw new InvalidDataException($"{path}: expected a size line 'rows columns entries', found '{Shorten(line ?? "(end of file)")}'");
        return new MatrixMarketFile(path, rows, columns, entries, words[3] == "pattern");
    }

    /// <summary>Every entry in file order, 0-based; throws naming the line on anything malformed or out of range.</summary>
    public IEnumerable<(int Row, int Column, float Value)> ReadEntries()
    {
        using var reader = TextLines.Open(Path);
        string? line;
        long lineNumber = 0, seen = 0;
        bool sizeLineSkipped = false;
        while ((line = ReadLine(reader)) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '%') continue;
            if (!sizeLineSkipped)
            {
                sizeLineSkipped = true;
                continue;
            }
            yield return ParseEntry(line, lineNumber);
            seen++;
        }
        if (seen != Entries) throw new InvalidDataException($"{Path}: {seen} entries but the size line says {Entries}; the file may be truncated");
    }

    private string? ReadLine(StreamReader reader)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path}: unreadable ({e.Message}); the file may be truncated or corrupt", e);
        }
    }

    private (int, int, float) ParseEntry(string line, long lineNumber)
    {
        var span = line.AsSpan().Trim();
        int first = span.IndexOfAny(' ', '\t');
        if (first < 0) throw Malformed(line, lineNumber);
        var rest = span[(first + 1)..].TrimStart();
        int second = rest.IndexOfAny(' ', '\t');
        var columnText = second < 0 ? rest : rest[..second];
        if (!int.TryParse(span[..first], NumberStyles.Integer, CultureInfo.InvariantCulture, out int row)
            || !int.TryParse(columnText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int column))
            throw Malformed(line, lineNumber);
        float value = 1f;
        if (!IsPattern)
        {
            if (second < 0 || !float.TryParse(rest[(second + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw Malformed(line, lineNumber);
        }
        if (row < 1 || row > Rows || column < 1 || column > Columns)
            throw new InvalidDataException($"{Path}: line {lineNumber} refers to ({row}, {column}) outside the {Rows} x {Columns} matrix");
        return (row - 1, column - 1, value);
    }

    private InvalidDataException Malformed(string line, long lineNumber) =>
        new($"{Path}: line {lineNumber} '{Shorten(line)}' is not an entry 'row column{(IsPattern ? "" : " value")}'");

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
