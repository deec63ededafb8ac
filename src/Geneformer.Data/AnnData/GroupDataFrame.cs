using PureHDF;

namespace Geneformer.Data.AnnData;

/// <summary>anndata 0.7 (<c>dataframe@0.1.0</c>, categories in <c>__categories/&lt;col&gt;</c>) and 0.8+ (<c>dataframe@0.2.0</c>) frames.</summary>
internal sealed class GroupDataFrame : AnnDataFrame
{
    private const string LegacyCategories = "__categories";
    private readonly IH5Group group;
    private readonly IH5Dataset index;

    public GroupDataFrame(IH5Group group, string file, string path) : base(file, path)
    {
        this.group = group;
        IndexName = H5Text.StringAttribute(group, "_index") ?? "_index";
        if (!group.LinkExists(IndexName) || group.Get(IndexName) is not IH5Dataset indexDataset)
            throw new InvalidDataException($"{Where}: index dataset '{IndexName}' is missing");
        index = indexDataset;
        Length = H5Numbers.Length(index);
        Columns = H5Text.StringArrayAttribute(group, "column-order")
            ?? group.Children().Select(c => c.Name).Where(n => n != IndexName && n != LegacyCategories).ToArray();
    }

    public override long Length { get; }

    public override string IndexName { get; }

    public override IReadOnlyList<string> Columns { get; }

    public override string[] ReadIndex() => H5Text.ReadAll(index, $"{Where}/{IndexName}").Select(v => v ?? "").ToArray();

    public override string?[] ReadColumn(string name)
    {
        if (name == IndexName) return ReadIndex();
        if (!HasColumn(name) || !group.LinkExists(name)) throw MissingColumn(name);
        var where = $"{Where}/{name}";
        var values = H5Guard.Run(where, () => group.Get(name)) switch
        {
            IH5Dataset dataset => ReadDatasetColumn(dataset, name, where),
            IH5Group encoded => ReadEncodedColumn(encoded, where),
            _ => throw new InvalidDataException($"{where}: expected a dataset or an encoded group"),
        };
        if (values.Length != Length)
            throw new InvalidDataException($"{where}: {values.Length} values but the index has {Length}");
        return values;
    }

    private string?[] ReadDatasetColumn(IH5Dataset dataset, string name, string where)
    {
        // anndata 0.7 categoricals: integer codes here, names in __categories/<col>.
        var categoriesPath = $"{LegacyCategories}/{name}";
        if (group.LinkExists(categoriesPath) && group.Get(categoriesPath) is IH5Dataset categories)
            return DecodeCategories(H5Numbers.ReadInt64(dataset, where), H5Text.ReadAll(categories, $"{Where}/{categoriesPath}"), where);
        return H5Text.ReadAll(dataset, where);
    }

    private static string?[] ReadEncodedColumn(IH5Group encoded, string where)
    {
        var encoding = H5Text.StringAttribute(encoded, "encoding-type");
        switch (encoding)
        {
            case "categorical":
                var codes = H5Numbers.ReadInt64(Child(encoded, "codes", where), $"{where}/codes");
                var categories = H5Text.ReadAll(Child(encoded, "categories", where), $"{where}/categories");
                return DecodeCategories(codes, categories, where);
            case "nullable-integer" or "nullable-boolean" or "nullable-string-array":
                var values = H5Text.ReadAll(Child(encoded, "values", where), $"{where}/values");
                if (encoded.LinkExists("mask"))
                {
                    var mask = H5Numbers.ReadInt64(Child(encoded, "mask", where), $"{where}/mask");
                    for (int i = 0; i < values.Length && i < mask.Length; i++)
                        if (mask[i] != 0) values[i] = null;
                }
                return values;
            default:
                throw new InvalidDataException(
                    $"{where}: unsupported column encoding '{encoding ?? "(none)"}' (expected categorical, nullable-integer, nullable-boolean or a dataset)");
        }
    }

    private static IH5Dataset Child(IH5Group group, string name, string where) =>
        group.LinkExists(name) && group.Get(name) is IH5Dataset dataset
            ? dataset
            : throw new InvalidDataException($"{where}: '{name}' dataset is missing");
}
