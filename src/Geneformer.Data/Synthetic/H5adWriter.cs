using Geneformer.Data.Matrix;
using PureHDF;

namespace Geneformer.Data.Synthetic;

/// <summary>
/// Writes an <see cref="ICellSource"/> as an AnnData 0.8+ .h5ad file the way CELLxGENE publishes them:
/// X as CSR float32 raw counts, obs columns as categoricals (is_primary_data as bool), var indexed by
/// Ensembl id with a feature_id column, and anndata's encoding-type/encoding-version attributes.
/// Holds the whole matrix in memory while writing (meant for generated test datasets).
/// </summary>
public static class H5adWriter
{
    public static void Write(string path, ICellSource source)
    {
        var indptr = new List<long> { 0 };
        var indices = new List<int>();
        var data = new List<float>();
        foreach (var block in source.ReadBlocks())
        {
            var baseOffset = indptr[^1];
            for (int c = 0; c < block.CellCount; c++) indptr.Add(baseOffset + block.IndPtr[c + 1]);
            indices.AddRange(block.GeneIndices.AsSpan(0, block.IndPtr[^1]));
            data.AddRange(block.Values.AsSpan(0, block.IndPtr[^1]));
        }

        var obs = new H5Group { Attributes = DataFrameAttributes(source.ObsColumns) };
        obs["_index"] = StringArray(source.CellIds.ToArray());
        foreach (var name in source.ObsColumns)
        {
            var values = source.ReadObsColumn(name);
            obs[name] = values.All(v => v is "True" or "False") ? BoolArray(values) : Categorical(values);
        }
        var geneIds = source.GeneIds.ToArray();
        var var = new H5Group { Attributes = DataFrameAttributes(["feature_id"]) };
        var["_index"] = StringArray(geneIds);
        var["feature_id"] = StringArray(geneIds);

        var file = new H5File
        {
            Attributes = Encoding("anndata", "0.1.0"),
            ["X"] = new H5Group
            {
                Attributes = new Dictionary<string, object>(Encoding("csr_matrix", "0.1.0")) { ["shape"] = new long[] { source.CellCount, geneIds.Length } },
                ["data"] = data.ToArray(),
                ["indices"] = indices.ToArray(),
                ["indptr"] = indptr.ToArray(),
            },
            ["obs"] = obs,
            ["var"] = var,
            ["uns"] = Dict(),
            ["obsm"] = Dict(),
            ["varm"] = Dict(),
            ["obsp"] = Dict(),
            ["varp"] = Dict(),
            ["layers"] = Dict(),
        };
        file.Write(path);
    }

    private static Dictionary<string, object> Encoding(string type, string version) => new() { ["encoding-type"] = type, ["encoding-version"] = version };

    private static H5Group Dict() => new() { Attributes = Encoding("dict", "0.1.0") };

    private static Dictionary<string, object> DataFrameAttributes(IEnumerable<string> columns) =>
        new(Encoding("dataframe", "0.2.0")) { ["_index"] = "_index", ["column-order"] = columns.ToArray() };

    private static H5Dataset StringArray(string[] values) => new(values) { Attributes = Encoding("string-array", "0.2.0") };

    private static H5Dataset BoolArray(IReadOnlyList<string?> values) =>
        new(values.Select(v => v == "True" ? H5Bool.TRUE : H5Bool.FALSE).ToArray()) { Attributes = Encoding("array", "0.2.0") };

    /// <summary>A categorical@0.2.0: sorted categories and int codes (-1 = missing).</summary>
    private static H5Group Categorical(IReadOnlyList<string?> values)
    {
        var categories = values.Where(v => v is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()!;
        var code = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c!, x => x.i, StringComparer.Ordinal);
        object codes = categories.Length <= sbyte.MaxValue
            ? values.Select(v => v is null ? (sbyte)-1 : (sbyte)code[v]).ToArray()
            : values.Select(v => v is null ? -1 : code[v]).ToArray();
        return new H5Group
        {
            Attributes = new Dictionary<string, object>(Encoding("categorical", "0.2.0")) { ["ordered"] = H5Bool.FALSE },
            ["categories"] = StringArray(categories!),
            ["codes"] = new H5Dataset(codes) { Attributes = Encoding("array", "0.2.0") },
        };
    }
}

/// <summary>h5py's encoding of bool: an int8 enum with members FALSE and TRUE (what anndata and pandas read as bool).</summary>
#pragma warning disable CA1707 // member names are fixed by h5py
internal enum H5Bool : byte { FALSE = 0, TRUE = 1 }
#pragma warning restore CA1707
