namespace Geneformer.Data.Tokenization;

/// <summary>
/// For one input file: the token id of each matrix column, or -1 for a gene the tokenizer drops (not in
/// the vocabulary, or without a positive median). Built once per file, used for every cell.
/// </summary>
public sealed class GeneColumnMap
{
    public int[] TokenOfColumn { get; }
    /// <summary>Columns that map to a token.</summary>
    public int MatchedColumns { get; }

    internal GeneColumnMap(int[] tokenOfColumn)
    {
        TokenOfColumn = tokenOfColumn;
        MatchedColumns = tokenOfColumn.Count(t => t >= 0);
    }
}
