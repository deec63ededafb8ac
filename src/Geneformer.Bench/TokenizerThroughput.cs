using System.Diagnostics;
using Geneformer.Data.Synthetic;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Bench;

/// <summary>Measures rank-value tokenization speed over generated cells, as <c>prepare</c> tokenizes them (for <c>geneformer bench</c>).</summary>
public static class TokenizerThroughput
{
    /// <summary><paramref name="CpuSeconds"/>: process CPU time of the timed loop, the fair figure on a shared, busy machine.</summary>
    public sealed record Result(long Cells, double Seconds, double CpuSeconds, double MeanExpressedGenes, TokenMode Mode, int Threads)
    {
        public double CellsPerSecond => Cells / Seconds;
        public double CellsPerCpuSecond => Cells / CpuSeconds;
    }

    /// <summary>
    /// Generates <paramref name="cells"/> cells once (outside the timing), then tokenizes them repeatedly for
    /// at least <paramref name="minSeconds"/> with <paramref name="threads"/> threads (the <see cref="ParallelBlockTokenizer"/>
    /// that <c>prepare</c> uses, over blocks of 1,024 cells), after one warm-up pass.
    /// </summary>
    public static Result Run(int cells = 2048, int genesPerCell = 2000, int genes = 25_000, TokenMode mode = TokenMode.V1, double minSeconds = 3,
        IReadOnlyList<string>? geneIds = null, int threads = 1)
    {
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 1, CellsPerDataset = cells, GenesPerCell = genesPerCell, GeneCount = genes, GeneIds = geneIds, Seed = 1 });
        using var source = corpus.Open(0);
        var blocks = source.ReadBlocks(1024).ToList();
        var vocab = GeneVocabulary.Build(corpus.GeneIds, mode);
        var medians = new GeneMedians(corpus.GeneIds.Select((g, i) => new KeyValuePair<string, double>(g, 0.5 + (i % 97) / 10.0)), "benchmark");
        var tokenizer = new ParallelBlockTokenizer(() => new RankValueTokenizer(vocab, medians, mode), threads);
        var columns = new RankValueTokenizer(vocab, medians, mode).MapColumns(corpus.GeneIds);
        long checksum = 0;

        void Pass()
        {
            foreach (var b in blocks)
            {
                tokenizer.Tokenize(columns, b, b.CellCount, _ => true);
                for (int c = 0; c < b.CellCount; c++) checksum += tokenizer.Tokens(c).Length;
            }
        }

        Pass();
        long done = 0;
        var cpu0 = ThreadCpuTime();
        var sw = Stopwatch.StartNew();
        do { Pass(); done += cells; } while (sw.Elapsed.TotalSeconds < minSeconds);
        sw.Stop();
        var cpu = ThreadCpuTime() - cpu0;
        GC.KeepAlive(checksum);
        return new Result(done, sw.Elapsed.TotalSeconds, cpu, blocks.Sum(b => (double)b.IndPtr[^1]) / cells, mode, threads);
    }

    /// <summary>Process CPU time: the timed loop does not allocate, so this is the tokenizing threads'.</summary>
    private static double ThreadCpuTime() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
