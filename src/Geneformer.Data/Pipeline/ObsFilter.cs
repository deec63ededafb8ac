using Geneformer.Data.Matrix;

namespace Geneformer.Data.Pipeline;

/// <summary>Evaluates <see cref="CellFilterOptions"/> on a file's obs columns.</summary>
public static class ObsFilter
{
    public sealed record Result(bool[] Keep, IReadOnlyList<string> NotApplied)
    {
        public long KeptCount => Keep.LongCount(k => k);
    }

    public static Result Evaluate(ICellSource source, CellFilterOptions options)
    {
        var n = checked((int)source.CellCount);
        var keep = new bool[n];
        Array.Fill(keep, true);
        var notApplied = new List<string>();
        var columns = new HashSet<string>(source.ObsColumns, StringComparer.Ordinal);

        void Apply(string filter, (string Column, Func<string?, bool> Pass)[] choices)
        {
            foreach (var (column, pass) in choices)
            {
                if (!columns.Contains(column)) continue;
                var values = source.ReadObsColumn(column);
                for (int i = 0; i < n; i++) if (keep[i] && !pass(values[i])) keep[i] = false;
                return;
            }
            notApplied.Add($"{filter} (no obs column {string.Join(" or ", choices.Select(c => c.Column))})");
        }

        if (options.HomoSapiensOnly)
            Apply("organism", [("organism", v => v == "Homo sapiens"), ("organism_ontology_term_id", v => v == "NCBITaxon:9606")]);
        if (options.PrimaryDataOnly)
            Apply("is_primary_data", [("is_primary_data", IsTrue)]);
        if (options.NormalDiseaseOnly)
            Apply("disease", [("disease", v => v == "normal"), ("disease_ontology_term_id", v => v == "PATO:0000461")]);
        if (options.ExcludeSuspensionNa)
            Apply("suspension_type", [("suspension_type", v => v != "na")]);
        return new Result(keep, notApplied);
    }

    private static bool IsTrue(string? v) => v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1");
}
