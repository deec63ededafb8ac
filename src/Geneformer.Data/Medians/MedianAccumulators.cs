namespace Geneformer.Data.Medians;

public static class MedianAccumulators
{
    /// <summary>
    /// Largest corpus (kept cells) that <see cref="MedianMethod.Auto"/> computes exactly: about 40M values at ~2,000
    /// genes a cell, under 1 GB; beyond it the sketch keeps memory bounded whatever the corpus size.
    /// </summary>
    public const long AutoExactMaxCells = 20_000;

    public static MedianMethod Resolve(MedianMethod method, long keptCells) =>
        method != MedianMethod.Auto ? method : keptCells <= AutoExactMaxCells ? MedianMethod.Exact : MedianMethod.Sketch;

    public static IMedianAccumulator Create(MedianMethod method) => method switch
    {
        MedianMethod.Exact => new ExactMedianAccumulator(),
        MedianMethod.Sketch => new RelativeErrorMedianSketch(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "resolve auto first (MedianAccumulators.Resolve)"),
    };

    public static MedianMethod Parse(string name) => name.ToLowerInvariant() switch
    {
        "auto" => MedianMethod.Auto,
        "exact" => MedianMethod.Exact,
        "sketch" => MedianMethod.Sketch,
        _ => throw new ArgumentException($"median method '{name}' is not one of auto, exact, sketch"),
    };
}
