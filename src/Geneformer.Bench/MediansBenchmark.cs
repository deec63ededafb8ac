using Geneformer.Data.Synthetic;

namespace Geneformer.Bench;

/// <summary>The medians pass of <c>prepare</c>: normalised values of generated cells (~2,000 expressed genes of 25,000) added to the bounded sketch, on one thread and on every core.</summary>
public static class MediansBenchmark
{
    public static IEnumerable<BenchFigure> Run(double seconds)
    {
        var threadCounts = Environment.ProcessorCount > 1 ? new[] { 1, Environment.ProcessorCount } : [1];
        foreach (var threads in threadCounts)
        {
            var r = MedianSketchThroughput.Run(minSeconds: seconds, threads: threads);
            var name = threads == 1 ? "medians.sketch.cells_per_s" : $"medians.sketch.{threads}_threads.cells_per_s";
            yield return new BenchFigure(name, r.CellsPerSecond, "cells/s", new Dictionary<string, object>
            {
                ["threads"] = threads, ["values_per_s"] = r.ValuesPerSecond, ["ns_per_value_thread"] = 1e9 * threads / r.ValuesPerSecond, ["genes"] = 25_000,
            });
        }
    }
}
