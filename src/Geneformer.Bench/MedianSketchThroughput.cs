using System.Diagnostics;
using Geneformer.Data.Medians;
using Geneformer.Data.Synthetic;

namespace Geneformer.Bench;

/// <summary>Measures how fast <c>prepare</c>'s medians pass adds normalised values to the bounded sketch (for <c>geneformer bench</c>).</summary>
public static class MedianSketchThroughput
{
    public sealed record Result(long Cells, long Values, double Seconds, int Threads)
    {
        public double CellsPerSecond => Cells / Seconds;
        public double ValuesPerSecond => Values / Seconds;
    }

    /// <summary>
    /// Generates <paramref name="cells"/> cells once (outside the timing), then adds every block of 1,024 to one
    /// <see cref="RelativeErrorMedianSketch"/> through <see cref="ParallelMedianAdder"/> with <paramref name="threads"/>
    /// threads, as <c>prepare</c> does, for at least <paramref name="minSeconds"/> after one warm-up pass.
    /// </summary>
    public static Result Run(int cells = 4096, int genesPerCell = 2000, int genes = 25_000, double minSeconds = 3, int threads = 1)
    {
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 1, CellsPerDataset = cells, GenesPerCell = genesPerCell, GeneCount = genes, Seed = 1 });
        using var source = corpus.Open(0);
        var blocks = source.ReadBlocks(1024).ToList();
        var columns = Enumerable.Range(0, genes).ToArray();
        var totals = blocks.Select(b => Enumerable.Range(0, b.CellCount).Select(c => b.Values.AsSpan(b.IndPtr[c], b.IndPtr[c + 1] - b.IndPtr[c]).ToArray().Sum(v => (double)v)).ToArray()).ToList();
        var sketch = new RelativeErrorMedianSketch();
        var adder = new ParallelMedianAdder(sketch, 10_000, threads);

        void Pass()
        {
            for (int i = 0; i < blocks.Count; i++) adder.Add(blocks[i], columns, genes, totals[i]);
        }

        Pass();
        long done = 0;
        var sw = Stopwatch.StartNew();
        do { Pass(); done++; } while (sw.Elapsed.TotalSeconds < minSeconds);
        sw.Stop();
        var values = blocks.Sum(b => (long)b.IndPtr[^1]);
        return new Result(done * cells, done * values, sw.Elapsed.TotalSeconds, threads);
    }
}
