using System.Runtime.InteropServices;
using Geneformer.Data.Matrix;
using PureHDF;
using PureHDF.Selections;

namespace Geneformer.Data.Synthetic;

/// <summary>
/// Writes an <see cref="ICellSource"/> as an AnnData 0.8+ .h5ad file the way CELLxGENE publishes them:
/// X as CSR float32 raw counts, obs columns as categoricals (is_primary_data as bool), var indexed by
/// Ensembl id with a feature_id column, and anndata's encoding-type/encoding-version attributes.
/// Memory stays bounded: HDF5 needs each dataset's size before its data, so X's indices and values are first
/// spilled block by block to two files beside the output, then copied into the file in slices.
/// </summary>
public static class H5adWriter
{
    private const int CopySlice = 1 << 20;

    public static void Write(string path, ICellSource source)
    {
        var (indicesSpill, dataSpill) = (path + ".indices.spill", path + ".data.spill");
        try
        {
            var indptr = Spill(source, indicesSpill, dataSpill);
            var nnz = (ulong)indptr[^1];
            var indices = new H5Dataset<int[]>(fileDims: [nnz]);
            var data = new H5Dataset<float[]>(fileDims: [nnz]);
            var file = Layout(source, indptr, indices, data);
            using var writer = file.BeginWrite(path);
            Copy<int>(indicesSpill, (slice, selection, memory) => writer.Write(indices, slice, memorySelection: memory, fileSelection: selection));
            Copy<float>(dataSpill, (slice, selection, memory) => writer.Write(data, slice, memorySelection: memory, fileSelection: selection));
        }
        finally
        {
            File.Delete(indicesSpill);
            File.Delete(dataSpill);
        }
    }

    /// <summary>Writes every block's gene indices and values to the two spill files; returns X's indptr.</summary>
    private static long[] Spill(ICellSource source, string indicesPath, string dataPath)
    {
        var indptr = new long[source.CellCount + 1];
        long cells = 0;
        using var indices = new FileStream(indicesPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        foreach (var block in source.ReadBlocks())
        {
            var baseOffset = indptr[cells];
            for (int c = 0; c < block.CellCount; c++) indptr[cells + c + 1] = baseOffset + block.IndPtr[c + 1];
            cells += block.CellCount;
            indices.Write(MemoryMarshal.AsBytes(block.GeneIndices.AsSpan(0, block.IndPtr[^1])));
            data.Write(MemoryMarshal.AsBytes(block.Values.AsSpan(0, block.IndPtr[^1])));
        }
        if (cells != source.CellCount) throw new InvalidDataException($"{source.Path}: the matrix has {cells} rows, obs {source.CellCount}");
        return indptr;
    }

    /// <summary>Reads a spill file back in slices of <see cref="CopySlice"/> elements and hands each to <paramref name="write"/> with its place in the dataset.</summary>
    private static void Copy<T>(string spill, Action<T[], Selection, Selection> write) where T : unmanaged
    {
        var slice = new T[CopySlice];
        using var input = new FileStream(spill, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 20);
        for (ulong start = 0; ; )
        {
            var read = input.ReadAtLeast(MemoryMarshal.AsBytes(slice.AsSpan()), Marshal.SizeOf<T>() * CopySlice, throwOnEndOfStream: false) / Marshal.SizeOf<T>();
            if (read == 0) return;
            write(slice, new HyperslabSelection(start, (ulong)read), new HyperslabSelection(0, (ulong)read));
            start += (ulong)read;
        }
    }

    private static H5File Layout(ICellSource source, long[] indptr, H5Dataset indices, H5Dataset data)
    {
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
                ["data"] = data,
                ["indices"] = indices,
                ["indptr"] = indptr,
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
        return file;
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
#pragma warning restore CA1707
