namespace Geneformer.Data.Loading;

/// <summary>Random access to the tokenized cells of one corpus split: what the training loader needs.</summary>
public interface ITokenizedCells
{
    long Count { get; }

    /// <summary>Number of tokens of cell <paramref name="index"/>.</summary>
    int Length(long index);

    /// <summary>Copies cell <paramref name="index"/>'s token ids into <paramref name="destination"/> (at least <see cref="Length"/> long); returns the count.</summary>
    int CopyTokens(long index, Span<int> destination);
}
