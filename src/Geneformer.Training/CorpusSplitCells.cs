using Geneformer.Data.Corpus;
using Geneformer.Data.Loading;

namespace Geneformer.Training;

/// <summary>A split of a prepared corpus as the loader sees it (token ids widened to int).</summary>
public sealed class CorpusSplitCells(CorpusSplit split) : ITokenizedCells
{
    public long Count => split.Count;

    public int Length(long index) => split.Length(index);

    public int CopyTokens(long index, Span<int> destination)
    {
        var tokens = split.Tokens(index);
        for (var i = 0; i < tokens.Length; i++) destination[i] = (ushort)tokens[i]; // stored as Int16; ids are non-negative
        return tokens.Length;
    }
}
