namespace Geneformer.Data.TenX;

internal static class TenXGeneColumns
{
    /// <summary>null, "gene_ids" or "id" = Ensembl ids; "gene_symbols", "name" or "symbol" = symbols.</summary>
    public static TenXGeneColumn Resolve(string? column, string where) => column switch
    {
        null or "gene_ids" or "id" => TenXGeneColumn.EnsemblId,
        "gene_symbols" or "name" or "symbol" => TenXGeneColumn.Symbol,
        _ => throw new InvalidDataException($"{where}: no gene id column '{column}'; 10x features have gene_ids (Ensembl ids) and gene_symbols"),
    };

    public static void RequireSingleMatrix(string matrix, string where)
    {
        if (!string.Equals(matrix, "auto", StringComparison.OrdinalIgnoreCase) && !string.Equals(matrix, "X", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{where}: a 10x input has one matrix; matrix '{matrix}' does not apply (use auto or X)");
    }
}
