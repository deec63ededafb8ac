using System.Globalization;

namespace Geneformer.Data.Vocabulary;

/// <summary>
/// Loads Geneformer token, median and gene-symbol dictionaries from TSV (<c>token\tid</c>, <c>ensembl_id\tmedian</c>,
/// <c>symbol\tensembl_id</c>) or the original pickles.
/// </summary>
public static class DictionaryFiles
{
    public static GeneVocabulary LoadVocabulary(string path)
    {
        if (IsPickle(path))
        {
            var pairs = PickleReader.ReadStringKeyedDictionary(path).Select(kv => kv.Value is long id
                ? new KeyValuePair<string, long>(kv.Key, id)
                : throw new InvalidDataException($"{path}: token id of '{kv.Key}' is {kv.Value}, not an integer"));
            return GeneVocabulary.FromPairs(pairs, path);
        }
        return GeneVocabulary.FromPairs(ReadTsv(path, "token", "id").Select(r => new KeyValuePair<string, long>(r.Key,
            long.TryParse(r.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id
                : throw new InvalidDataException($"{path}: id '{r.Value}' of token '{r.Key}' is not an integer"))), path);
    }

    public static GeneMedians LoadMedians(string path)
    {
        if (IsPickle(path))
            return new GeneMedians(PickleReader.ReadStringKeyedDictionary(path).Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value is long or double
                ? Convert.ToDouble(kv.Value, CultureInfo.InvariantCulture)
                : throw new InvalidDataException($"{path}: median of '{kv.Key}' is '{kv.Value}', not a number"))), path);
        return new GeneMedians(ReadTsv(path, "ensembl_id", "median").Select(r => new KeyValuePair<string, double>(r.Key,
            double.TryParse(r.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m
                : throw new InvalidDataException($"{path}: median '{r.Value}' of gene '{r.Key}' is not a number"))), path);
    }

    /// <summary>
    /// A gene symbol → Ensembl id map, such as Geneformer's <c>gene_name_id_dict_gc30M.pkl</c> or a TSV
    /// (<c>symbol\tensembl_id</c>). Symbols are matched exactly (case-sensitive), as Geneformer does.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadSymbolMap(string path)
    {
        var pairs = IsPickle(path)
            ? PickleReader.ReadStringKeyedDictionary(path).Select(kv => kv.Value is string id
                ? new KeyValuePair<string, string>(kv.Key, id)
                : throw new InvalidDataException($"{path}: Ensembl id of symbol '{kv.Key}' is {kv.Value ?? "None"}, not a string"))
            : ReadTsv(path, "symbol", "ensembl_id");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (symbol, id) in pairs)
        {
            if (id.Length == 0) throw new InvalidDataException($"{path}: symbol '{symbol}' has an empty Ensembl id");
            if (!map.TryAdd(symbol, id) && map[symbol] != id)
                throw new InvalidDataException($"{path}: symbol '{symbol}' maps to both '{map[symbol]}' and '{id}'");
        }
        if (map.Count == 0) throw new InvalidDataException($"{path}: the symbol dictionary is empty");
        return map;
    }

    private static bool IsPickle(string path) => path.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pickle", StringComparison.OrdinalIgnoreCase);

    /// <summary>Two tab-separated columns; a first line equal to the expected header is skipped.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ReadTsv(string path, string keyHeader, string valueHeader)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found", path);
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var tab = line.IndexOf('\t');
            if (tab < 0 || line.IndexOf('\t', tab + 1) >= 0) throw new InvalidDataException($"{path}:{lineNo}: expected two tab-separated columns ({keyHeader}, {valueHeader})");
            var key = line[..tab];
            var value = line[(tab + 1)..];
            if (lineNo == 1 && key == keyHeader && value == valueHeader) continue;
            yield return new(key, value);
        }
    }
}
