namespace Geneformer.Data.Matrix;

/// <summary>Checks and mappings shared by every reader's cell and gene ids.</summary>
internal static class SourceIds
{
    /// <summary>Cell ids identify rows downstream (splits, embeddings): a repeated one is an error.</summary>
    public static void EnsureUniqueCells(IReadOnlyList<string> cellIds, string where)
    {
        var seen = new Dictionary<string, int>(cellIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < cellIds.Count; i++)
            if (!seen.TryAdd(cellIds[i], i))
                throw new InvalidDataException($"{where}: duplicate cell id '{cellIds[i]}' at cells {seen[cellIds[i]]} and {i}; cell ids must be unique");
    }

    /// <summary>Maps symbols to Ensembl ids where the map knows them; others stay as they are, keeping columns aligned.</summary>
    public static string[] MapSymbols(string[] geneIds, IReadOnlyDictionary<string, string>? symbolToEnsembl)
    {
        if (symbolToEnsembl is null) return geneIds;
        var mapped = new string[geneIds.Length];
        for (int i = 0; i < geneIds.Length; i++)
            mapped[i] = symbolToEnsembl.TryGetValue(geneIds[i], out var ensembl) ? ensembl : geneIds[i];
        return mapped;
    }
}
