using PureHDF;

namespace Geneformer.Data.AnnData;

/// <summary>
/// Legacy (anndata &lt; 0.7) frames: one compound dataset with an <c>index</c> member; categoricals are integer
/// members whose names are in <c>uns/&lt;col&gt;_categories</c>. Rows are read per call rather than kept.
/// </summary>
internal sealed class CompoundDataFrame : AnnDataFrame
{
    private const string Index = "index";
    private readonly IH5Dataset dataset;
    private readonly IH5Group root;
    private readonly Dictionary<string, IH5DataType> memberTypes;

    public CompoundDataFrame(IH5Dataset dataset, IH5Group root, string file, string path) : base(file, path)
    {
        this.dataset = dataset;
        this.root = root;
        memberTypes = dataset.Type.Compound.Members.ToDictionary(m => m.Name, m => m.Type, StringComparer.Ordinal);
        IndexName = memberTypes.ContainsKey(Index) ? Index : dataset.Type.Compound.Members[0].Name;
        Columns = dataset.Type.Compound.Members.Select(m => m.Name).Where(n => n != IndexName).ToArray();
        Length = H5Numbers.Length(dataset);
    }

    public override long Length { get; }

    public override string IndexName { get; }

    public override IReadOnlyList<string> Columns { get; }

    public override string[] ReadIndex() => ReadMember(IndexName).Select(v => v ?? "").ToArray();

    public override string?[] ReadColumn(string name)
    {
        if (name == IndexName) return ReadIndex();
        if (!HasColumn(name)) throw MissingColumn(name);
        var categoriesPath = $"uns/{name}_categories";
        if (root.LinkExists(categoriesPath) && root.Get(categoriesPath) is IH5Dataset categories && IsInteger(memberTypes[name]))
        {
            var codes = ReadMemberRaw(name).Select(v => Convert.ToInt64(v)).ToArray();
            return DecodeCategories(codes, H5Text.ReadAll(categories, $"{File}: {categoriesPath}"), $"{Where}/{name}");
        }
        return ReadMember(name);
    }

    private string?[] ReadMember(string name)
    {
        bool isBool = H5Numbers.IsBoolean(memberTypes[name]);
        return ReadMemberRaw(name).Select(v => H5Text.Format(v, isBool)).ToArray();
    }

    private object?[] ReadMemberRaw(string name) =>
        H5Guard.Run($"{Where}/{name}", () => dataset.Read<Dictionary<string, object?>[]>()).Select(row => row.GetValueOrDefault(name)).ToArray();

    private static bool IsInteger(IH5DataType type) => type.Class == H5DataTypeClass.FixedPoint;
}
