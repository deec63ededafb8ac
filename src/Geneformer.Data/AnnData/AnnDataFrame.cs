using PureHDF;

namespace Geneformer.Data.AnnData;

/// <summary>
/// An AnnData dataframe (obs, var, raw/var) in any of its on-disk generations: a legacy compound dataset
/// (anndata &lt; 0.7), or a group of column datasets (0.7's <c>__categories</c> or 0.8+'s encoded elements).
/// Columns are read whole: they are per-cell or per-gene metadata, the same order of size as the ids.
/// </summary>
internal abstract class AnnDataFrame
{
    protected AnnDataFrame(string file, string path)
    {
        File = file;
        Where = $"{file}: {path}";
    }

    /// <summary>The file, for messages.</summary>
    public string File { get; }

    /// <summary>"file: obs", for messages.</summary>
    public string Where { get; }

    public abstract long Length { get; }

    /// <summary>Name of the index (the 0.7+ <c>_index</c> attribute; "index" for legacy frames).</summary>
    public abstract string IndexName { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    public abstract string[] ReadIndex();

    /// <summary>A column as text (categoricals decoded, missing values null); throws naming the frame and column if absent.</summary>
    public abstract string?[] ReadColumn(string name);

    public bool HasColumn(string name) => Columns.Contains(name, StringComparer.Ordinal);

    protected InvalidDataException MissingColumn(string name) => new(
        $"{Where} has no column '{name}' (columns: {(Columns.Count == 0 ? "none" : string.Join(", ", Columns))})");

    /// <summary>Opens the frame at <paramref name="path"/>; legacy categoricals look their names up in <c>uns/&lt;col&gt;_categories</c>.</summary>
    public static AnnDataFrame Open(IH5Group root, string path, string file)
    {
        var where = $"{file}: {path}";
        if (!root.LinkExists(path)) throw new InvalidDataException($"{where}: missing (an AnnData file needs obs and var)");
        return H5Guard.Run(where, () => root.Get(path)) switch
        {
            IH5Group group => new GroupDataFrame(group, file, path),
            IH5Dataset { Type.Class: H5DataTypeClass.Compound } compound => new CompoundDataFrame(compound, root, file, path),
            _ => throw new InvalidDataException($"{where}: expected a dataframe group or a compound dataset"),
        };
    }

    /// <summary>Maps integer codes to category names; negative codes (pandas' missing) become null.</summary>
    protected static string?[] DecodeCategories(long[] codes, string?[] categories, string where)
    {
        var values = new string?[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            long code = codes[i];
            if (code < 0) continue;
            if (code >= categories.Length)
                throw new InvalidDataException($"{where}: category code {code} at row {i} but only {categories.Length} categories");
            values[i] = categories[code];
        }
        return values;
    }
}
