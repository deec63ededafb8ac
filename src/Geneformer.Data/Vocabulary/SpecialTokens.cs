using Geneformer.Data.Tokenization;

namespace Geneformer.Data.Vocabulary;

/// <summary>The special token strings and which of them each <see cref="TokenMode"/> needs.</summary>
public static class SpecialTokens
{
    public const string Pad = "<pad>";
    public const string Mask = "<mask>";
    public const string Cls = "<cls>";
    public const string Eos = "<eos>";
    public const string Unk = "<unk>";

    /// <summary>
    /// In id order for a vocabulary built from scratch; for a loaded dictionary, the ones it lacks are
    /// appended after its last id in this order (gc30M + <c>&lt;cls&gt;</c>, <c>&lt;eos&gt;</c>, <c>&lt;unk&gt;</c> = 25,429 in BioNeMo mode).
    /// </summary>
    public static IReadOnlyList<string> For(TokenMode mode) => mode switch
    {
        TokenMode.V1 => [Pad, Mask],
        TokenMode.V2 => [Pad, Mask, Cls, Eos],
        TokenMode.BioNeMo => [Pad, Mask, Cls, Eos, Unk],
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool IsSpecial(string token) => token.Length > 2 && token[0] == '<' && token[^1] == '>';
}
