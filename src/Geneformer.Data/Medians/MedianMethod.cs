namespace Geneformer.Data.Medians;

public enum MedianMethod
{
    /// <summary><see cref="Exact"/> for corpora of at most <see cref="MedianAccumulators.AutoExactMaxCells"/> kept cells, else <see cref="Sketch"/>.</summary>
    Auto,
    /// <summary>Keeps every value: exact, memory grows with the corpus (small corpora).</summary>
    Exact,
    /// <summary><see cref="RelativeErrorMedianSketch"/>: bounded memory, relative error at most its accuracy.</summary>
    Sketch,
}
