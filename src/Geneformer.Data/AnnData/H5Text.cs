using System.Globalization;
using PureHDF;

namespace Geneformer.Data.AnnData;

/// <summary>Reads HDF5 strings, attributes, and numbers as invariant text (the form obs columns are returned in).</summary>
internal static class H5Text
{
    /// <summary>Every element as text: strings as stored, numbers invariant, h5py booleans as True/False, NaN as null.</summary>
    public static string?[] ReadAll(IH5Dataset dataset, string where)
    {
        var type = dataset.Type;
        if (type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength)
            return H5Guard.Run(where, () => dataset.Read<string?[]>());
        var raw = H5Numbers.ReadRaw(dataset, null, where);
        bool isBool = H5Numbers.IsBoolean(type);
        var text = new string?[raw.Length];
        for (int i = 0; i < text.Length; i++) text[i] = Format(raw.GetValue(i), isBool);
        return text;
    }

    public static string? Format(object? value, bool isBool = false) => value switch
    {
        null => null,
        string s => s,
        float f => float.IsNaN(f) ? null : f.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? null : d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ when isBool => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "True" : "False",
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static string? StringAttribute(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var attribute = obj.Attribute(name);
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength)) return null;
        return attribute.Space.Dimensions.Length == 0 ? attribute.Read<string>() : attribute.Read<string[]>().FirstOrDefault();
    }

    /// <summary>A string-array attribute; anndata writes an empty one as float64[0], which is read as empty.</summary>
    public static string[]? StringArrayAttribute(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var attribute = obj.Attribute(name);
        if (attribute.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength)
            return attribute.Space.Dimensions.Length == 0 ? [attribute.Read<string>()] : attribute.Read<string[]>();
        return attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 0 ? [] : null;
    }

    public static long[]? IntegerArrayAttribute(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var attribute = obj.Attribute(name);
        if (attribute.Type.Class != H5DataTypeClass.FixedPoint) return null;
        return attribute.Type.Size switch
        {
            8 => attribute.Read<long[]>(),
            4 => attribute.Read<int[]>().Select(v => (long)v).ToArray(),
            _ => null,
        };
    }
}
