namespace Geneformer.Data.Loading;

/// <summary>The token ids masking needs: the mask token, the special tokens (never selected), and the genes (random replacements).</summary>
public sealed class MaskingVocabulary
{
    private readonly bool[] special;

    public int MaskTokenId { get; }
    public int PadTokenId { get; }
    public int[] GeneTokenIds { get; }

    public MaskingVocabulary(int vocabSize, int padTokenId, int maskTokenId, IEnumerable<int> specialTokenIds)
    {
        special = new bool[vocabSize];
        foreach (var id in specialTokenIds.Append(padTokenId).Append(maskTokenId)) special[id] = true;
        PadTokenId = padTokenId;
        MaskTokenId = maskTokenId;
        GeneTokenIds = Enumerable.Range(0, vocabSize).Where(i => !special[i]).ToArray();
    }

    public int Size => special.Length;

    public bool IsSpecial(int token) => special[token];
}
