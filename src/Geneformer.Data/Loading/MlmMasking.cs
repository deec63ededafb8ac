namespace Geneformer.Data.Loading;

/// <summary>
/// BERT masking of one cell: each non-special token is selected with probability <see cref="SelectProbability"/>;
/// a selected token becomes <c>&lt;mask&gt;</c> with <see cref="MaskFraction"/>, a random gene with
/// <see cref="RandomFraction"/>, and stays unchanged otherwise. Every choice is drawn from (seed, epoch, cell
/// index), so resuming needs no random state and every rank masks a cell the same way.
/// </summary>
public sealed record MlmMasking
{
    public double SelectProbability { get; init; } = 0.15;
    public double MaskFraction { get; init; } = 0.8;
    public double RandomFraction { get; init; } = 0.1;

    /// <summary>BioNeMo's split: 80% mask, 2% random, 18% unchanged.</summary>
    public static MlmMasking BioNeMo => new() { MaskFraction = 0.8, RandomFraction = 0.02 };

    public void Validate()
    {
        if (SelectProbability is <= 0 or > 1) throw new ArgumentException($"mask probability {SelectProbability} must be in (0, 1]");
        if (MaskFraction < 0 || RandomFraction < 0 || MaskFraction + RandomFraction > 1)
            throw new ArgumentException($"mask fractions {MaskFraction} (mask) + {RandomFraction} (random) must be non-negative and sum to at most 1");
    }

    /// <summary>Masks <paramref name="tokens"/> in place; writes the positions selected and their original tokens; returns how many.</summary>
    public int Apply(Span<int> tokens, ulong seed, long epoch, long cellIndex, MaskingVocabulary vocab, Span<int> positions, Span<int> labels)
    {
        var rng = new CounterRng((long)seed, epoch, cellIndex);
        var n = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var u = rng.NextDouble();
            var action = rng.NextDouble();
            var randomGene = rng.NextInt(vocab.GeneTokenIds.Length); // drawn always, so streams stay aligned
            if (vocab.IsSpecial(token) || u >= SelectProbability) continue;
            positions[n] = i;
            labels[n] = token;
            n++;
            if (action < MaskFraction) tokens[i] = vocab.MaskTokenId;
            else if (action < MaskFraction + RandomFraction) tokens[i] = vocab.GeneTokenIds[randomGene];
        }
        return n;
    }
}
