using System.Diagnostics;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Synthetic;

/// <summary>Measures rank-value tokenization speed on one thread over generated cells (for <c>geneformer bench</c>).</summary>
public static class TokenizerBenchmark
{
    /// <summary><paramref name="CpuSeconds"/>: CPU time of the timed loop, the fair figure on a shared, busy machine.</summary>
    public sealed record Result(long Cells, double Seconds, double CpuSeconds, double MeanExpressedGenes, TokenMode Mode)
    {
        public double CellsPerSecond => Cells / Seconds;
        public double CellsPerCpuSecond => Cells / CpuSeconds;
    }

    /// <summary>
    /// Generates <paramref name="cells"/> cells once (outside the timing), then tokenizes them repeatedly for
    /// at least <paramref name="minSeconds"/> on the calling thread, after one warm-up pass.
    /// </summary>
    public static Result Run(int cells = 2000, int genesPerCell = 2000, int genes = 25_000, TokenMode mode = TokenMode.V1, double minSeconds = 3, IReadOnlyList<string>? geneIds = null)
    {
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 1, CellsPerDataset = cells, GenesPerCell = genesPerCell, GeneCount = genes, GeneIds = geneIds, Seed = 1 });
        using var source = corpus.Open(0);
        var blocks = source.ReadBlocks(1024).ToList();
        var vocab = GeneVocabulary.Build(corpus.GeneIds, mode);
        var medians = new GeneMedians(corpus.GeneIds.Select((g, i) => new KeyValuePair<string, double>(g, 0.5 + (i % 97) / 10.0)), "benchmark");
        var tokenizer = new RankValueTokenizer(vocab, medians, mode);
        var columns = tokenizer.MapColumns(corpus.GeneIds);
        var buffer = new short[tokenizer.MaxLength];
        long checksum = 0;

        void Pass()
        {
            foreach (var b in blocks)
                for (int c = 0; c < b.CellCount; c++) checksum += tokenizer.Tokenize(columns, (CellBlockView)b, c, buffer);
        }

        Pass();
        long done = 0;
        var cpu0 = ThreadCpuTime();
        var sw = Stopwatch.StartNew();
        do { Pass(); done += cells; } while (sw.Elapsed.TotalSeconds < minSeconds);
        sw.Stop();
        var cpu = ThreadCpuTime() - cpu0;
        GC.KeepAlive(checksum);
        return new Result(done, sw.Elapsed.TotalSeconds, cpu, blocks.Sum(b => (double)b.IndPtr[^1]) / cells, mode);
    }

    /// <summary>Process CPU time: the timed loop is single-threaded and allocation-free, so this is the tokenizing thread's.</summary>
    private static double ThreadCpuTime() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
