using Geneformer.Data.Synthetic;
using Geneformer.Data.Tokenization;

namespace Geneformer.Cli.Bench;

/// <summary>Rank-value tokenization of generated cells (~2,000 expressed genes of 25,000) on one thread, per token mode.</summary>
public static class TokenizeBenchmark
{
    public static IEnumerable<BenchFigure> Run(double seconds)
    {
        foreach (var mode in new[] { TokenMode.V1, TokenMode.BioNeMo, TokenMode.V2 })
        {
            var r = TokenizerBenchmark.Run(mode: mode, minSeconds: seconds);
            yield return new BenchFigure($"tokenize.{mode.Name()}.cells_per_s", r.CellsPerSecond, "cells/s", new Dictionary<string, object>
            {
                ["threads"] = 1, ["cells"] = r.Cells, ["mean_expressed_genes"] = r.MeanExpressedGenes, ["genes"] = 25_000,
                ["cells_per_cpu_s"] = r.CellsPerCpuSecond,
            });
        }
    }
}
