using System.Diagnostics;
using Geneformer.Data.Matrix;
using Geneformer.Data.Synthetic;

namespace Geneformer.Bench;

/// <summary>
/// Reads generated cells back from an uncompressed <c>.h5ad</c> through the reader <c>prepare</c> uses, to set
/// tokenization speed beside the speed of getting the same cells off disk (for <c>geneformer bench</c>).
/// </summary>
public static class H5adReadThroughput
{
    /// <param name="FileBytes">Size of the file read on each pass.</param>
    public sealed record Result(long Cells, double Seconds, long FileBytes, long Passes)
    {
        public double CellsPerSecond => Cells / Seconds;
        public double BytesPerSecond => FileBytes * Passes / Seconds;
    }

    /// <summary>
    /// Writes <paramref name="cells"/> generated cells to a temporary file, then reads every block of it repeatedly for at
    /// least <paramref name="minSeconds"/>. The file was just written, so it is read from the page cache: the figure
    /// is the reader's decoding speed, the ceiling that a disk or parallel file system lowers.
    /// </summary>
    public static Result Run(int cells = 8192, int genesPerCell = 2000, int genes = 25_000, double minSeconds = 3)
    {
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 1, CellsPerDataset = cells, GenesPerCell = genesPerCell, GeneCount = genes, Seed = 1 });
        var path = Path.Combine(Path.GetTempPath(), $"geneformer-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.h5ad");
        try
        {
            using (var source = corpus.Open(0)) H5adWriter.Write(path, source);
            long checksum = 0;
            void Pass()
            {
                using var source = CellSources.Open(path);
                foreach (var block in source.ReadBlocks()) checksum += block.IndPtr[^1];
            }
            Pass();
            long passes = 0;
            var sw = Stopwatch.StartNew();
            do { Pass(); passes++; } while (sw.Elapsed.TotalSeconds < minSeconds);
            GC.KeepAlive(checksum);
            return new Result(passes * cells, sw.Elapsed.TotalSeconds, new FileInfo(path).Length, passes);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
