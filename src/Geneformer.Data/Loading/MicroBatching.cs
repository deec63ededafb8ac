namespace Geneformer.Data.Loading;

/// <summary>How a step's cells are dealt into micro batches. Neither choice changes the step's cells or its gradient.</summary>
/// <param name="LengthGrouped">padded micro batches of cells of nearly one length (<see cref="StepSamples"/>)</param>
/// <param name="PackedTokens">when positive: micro batches of whole cells laid end to end, no padding, at most this many tokens each (<see cref="PackedStepSamples"/>)</param>
public sealed record MicroBatching(bool LengthGrouped, int PackedTokens = 0)
{
    public bool Packed => PackedTokens > 0;

    public override string ToString() => Packed ? $"packed, {PackedTokens} tokens a micro batch" : LengthGrouped ? "length-grouped" : "stream order";
}
