namespace Geneformer.Data.Tokenization;

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
