using System.Globalization;
using System.Text;

namespace Geneformer.Data.Vocabulary;

/// <summary>Per-gene median of normalised non-zero expression (the divisor of the rank-value tokenizer), in file order.</summary>
public sealed class GeneMedians
{
    private readonly Dictionary<string, double> medians;
    private readonly List<string> order;

    public int Count => order.Count;
    public IReadOnlyList<string> Genes => order;

    public GeneMedians(IEnumerable<KeyValuePair<string, double>> pairs, string source)
    {
        medians = new Dictionary<string, double>(StringComparer.Ordinal);
        order = [];
        foreach (var (gene, median) in pairs)
        {
            if (string.IsNullOrEmpty(gene)) throw new InvalidDataException($"{source}: empty gene id");
            if (!double.IsFinite(median) || median < 0) throw new InvalidDataException($"{source}: median of '{gene}' is {median}, not a finite non-negative number");
            if (!medians.TryAdd(gene, median)) throw new InvalidDataException($"{source}: gene '{gene}' appears twice");
            order.Add(gene);
        }
    }

    public bool TryGet(string gene, out double median) => medians.TryGetValue(gene, out median);

    public double this[string gene] => medians[gene];

    /// <summary><c>ensembl_id\tmedian</c> lines with a header; values in round-trip form ("R"), so reading gives the same doubles.</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder("ensembl_id\tmedian\n");
        foreach (var g in order) sb.Append(g).Append('\t').Append(medians[g].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
