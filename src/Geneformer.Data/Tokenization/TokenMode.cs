namespace Geneformer.Data.Tokenization;

/// <summary>How a cell becomes a token sequence (special tokens and maximum length).</summary>
public enum TokenMode
{
    /// <summary>Geneformer V1: genes only, at most 2048 tokens.</summary>
    V1,
    /// <summary>NVIDIA BioNeMo: <c>&lt;cls&gt;</c> then genes, at most 2048 tokens in all.</summary>
    BioNeMo,
    /// <summary>Geneformer V2: <c>&lt;cls&gt;</c>, genes, <c>&lt;eos&gt;</c>, at most 4096 tokens in all.</summary>
    V2,
}

public static class TokenModes
{
    public static int DefaultMaxLength(this TokenMode mode) => mode == TokenMode.V2 ? 4096 : 2048;

    /// <summary>Special tokens a cell's sequence carries besides its genes: none, &lt;cls&gt;, or &lt;cls&gt; and &lt;eos&gt;.</summary>
    public static int SpecialTokenCount(this TokenMode mode) => mode switch { TokenMode.V1 => 0, TokenMode.BioNeMo => 1, _ => 2 };

    public static string Name(this TokenMode mode) => mode switch
    {
        TokenMode.V1 => "v1",
        TokenMode.BioNeMo => "bionemo",
        TokenMode.V2 => "v2",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static TokenMode Parse(string name) => name.ToLowerInvariant() switch
    {
        "v1" => TokenMode.V1,
        "bionemo" => TokenMode.BioNeMo,
        "v2" => TokenMode.V2,
        _ => throw new ArgumentException($"token mode '{name}' is not one of v1, bionemo, v2"),
    };
}
