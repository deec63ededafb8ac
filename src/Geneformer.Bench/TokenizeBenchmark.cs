using Geneformer.Data.Synthetic;
using Geneformer.Data.Tokenization;

namespace Geneformer.Bench;

/// <summary>
/// Rank-value tokenization of generated cells (~2,000 expressed genes of 25,000): every token mode on one thread,
/// then v1 on every core, as <c>prepare</c> runs it; and, to compare, reading the same cells from an .h5ad.
/// </summary>
public static class TokenizeBenchmark
{
    public static IEnumerable<BenchFigure> Run(double seconds)
    {
        var runs = new[] { TokenMode.V1, TokenMode.BioNeMo, TokenMode.V2 }.Select(mode => (mode, threads: 1)).ToList();
        if (Environment.ProcessorCount > 1) runs.Add((TokenMode.V1, Environment.ProcessorCount));
        foreach (var (mode, threads) in runs)
        {
            var r = TokenizerThroughput.Run(mode: mode, minSeconds: seconds, threads: threads);
            var name = threads == 1 ? $"tokenize.{mode.Name()}.cells_per_s" : $"tokenize.{mode.Name()}.{threads}_threads.cells_per_s";
            yield return new BenchFigure(name, r.CellsPerSecond, "cells/s", new Dictionary<string, object>
            {
                ["threads"] = threads, ["cells"] = r.Cells, ["mean_expressed_genes"] = r.MeanExpressedGenes, ["genes"] = 25_000,
                ["cells_per_cpu_s"] = r.CellsPerCpuSecond,
            });
        }
        var read = H5adReadThroughput.Run(minSeconds: seconds);
        yield return new BenchFigure("tokenize.read_h5ad.cells_per_s", read.CellsPerSecond, "cells/s", new Dictionary<string, object>
        {
            ["threads"] = 1, ["mb_per_s"] = read.BytesPerSecond / 1e6, ["file_mb"] = read.FileBytes / 1e6, ["source"] = "page cache (file just written)",
        });
    }
}
