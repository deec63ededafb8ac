namespace Geneformer.Data.Matrix;

/// <summary>What a matrix reader needs to validate values and name the culprit in errors.</summary>
internal sealed record MatrixContext(
    string File,
    string MatrixName,
    long CellCount,
    int GeneCount,
    IReadOnlyList<string> CellIds,
    IReadOnlyList<string> GeneIds,
    bool AllowNegativeValues)
{
    public InvalidDataException BadValue(long cell, int gene, float value)
    {
        if ((uint)gene >= (uint)GeneCount) return BadGene(cell, gene);
        var problem = float.IsNaN(value) ? "NaN" : float.IsInfinity(value) ? "infinite" : "negative";
        var hint = problem == "negative" ? " (a scaled or centred matrix? choose raw counts, or allow negative values explicitly)" : "";
        return new InvalidDataException(
            $"{File}: {MatrixName} has {problem} value {value} at cell {cell} ('{CellId(cell)}'), gene {gene} ('{GeneIds[gene]}'); " +
            $"expected finite non-negative expression{hint}");
    }

    public InvalidDataException BadGene(long cell, int gene) => new(
        $"{File}: {MatrixName} cell {cell} ('{CellId(cell)}') refers to gene column {gene}, but the matrix has {GeneCount} genes");

    private string CellId(long cell) => cell >= 0 && cell < CellIds.Count ? CellIds[(int)cell] : "?";
}
