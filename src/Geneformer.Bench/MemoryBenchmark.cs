using Geneformer.Common;

namespace Geneformer.Bench;

/// <summary>
/// Peak resident memory of the real <c>prepare</c>, <c>pretrain</c> (tiny preset, a few steps, one process) and
/// <c>embed</c> commands, run as child processes on a generated input and on one <c>factor</c> times larger, in a
/// temporary folder removed afterwards. A command whose memory is bounded by design (streaming, memory-mapped
/// shards, embedding windows) shows a growth ratio near 1; one that holds its input shows a ratio near the factor.
/// </summary>
public static class MemoryBenchmark
{
    public sealed record Options(int Cells, int Factor, int GenesPerCell, int PretrainSteps, int Threads);

    private static readonly string[] Commands = ["prepare", "pretrain", "embed"];

    public static IEnumerable<BenchFigure> Run(Options o)
    {
        if (o.Factor < 2) throw new ArgumentException($"--memory-factor {o.Factor}: expected at least 2");
        var root = Directory.CreateTempSubdirectory("geneformer-bench-memory-").FullName;
        try
        {
            var sizes = new[] { o.Cells, o.Cells * o.Factor };
            var peaks = sizes.Select(cells => Measure(Path.Combine(root, $"cells-{cells}"), cells, o)).ToArray();
            var figures = new List<BenchFigure>();
            foreach (var command in Commands)
            {
                for (var s = 0; s < sizes.Length; s++)
                    figures.Add(new BenchFigure($"memory.{command}.peak_mib", peaks[s][command].PeakResidentBytes / 1048576.0, "MiB", new Dictionary<string, object>
                    {
                        ["cells"] = sizes[s], ["genes_per_cell"] = o.GenesPerCell, ["seconds"] = peaks[s][command].Seconds,
                    }));
                var (small, large) = (peaks[0][command].PeakResidentBytes, peaks[1][command].PeakResidentBytes);
                figures.Add(new BenchFigure($"memory.{command}.growth", (double)large / small, "x", new Dictionary<string, object>
                {
                    ["small_cells"] = sizes[0], ["large_cells"] = sizes[1], ["small_mib"] = small / 1048576.0, ["large_mib"] = large / 1048576.0, ["input_factor"] = o.Factor,
                }));
            }
            return figures;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>generate (not measured), then prepare, pretrain and embed on it, each a child process.</summary>
    private static Dictionary<string, ProbedRun> Measure(string dir, int cells, Options o)
    {
        var raw = Path.Combine(dir, "raw");
        var corpus = Path.Combine(dir, "corpus");
        var checkpoints = Path.Combine(dir, "checkpoints");
        var threads = o.Threads > 0 ? o.Threads.ToString() : "0";
        Run("generate", ["--output", raw, "--datasets", "1", "--cells-per-dataset", cells.ToString(), "--genes-per-cell", o.GenesPerCell.ToString()]);
        var input = Directory.EnumerateFiles(raw, "*.h5ad").Single();
        return new Dictionary<string, ProbedRun>
        {
            ["prepare"] = Run("prepare", ["--input", raw, "--output", corpus, "--holdout-fraction", "0.1", "--no-progress"]),
            ["pretrain"] = Run("pretrain", ["--training", "tiny", "--corpus", corpus, "--checkpoints", checkpoints, "--max-steps", o.PretrainSteps.ToString(),
                "--checkpoint-every", o.PretrainSteps.ToString(), "--eval-every", o.PretrainSteps.ToString(), "--threads", threads]),
            ["embed"] = Run("embed", ["--checkpoint", checkpoints, "--input", input, "--output", Path.Combine(dir, "embeddings.npy"), "--no-progress", "--threads", threads]),
        };
    }

    private static ProbedRun Run(string command, string[] args)
    {
        var run = PeakMemoryProbe.Run([.. SelfCommand.Arguments(), command, .. args], TimeSpan.FromMilliseconds(10));
        if (run.ExitCode != 0) throw new InvalidOperationException($"geneformer {command} {string.Join(' ', args)} failed (exit {run.ExitCode}): {run.Output.Trim()}");
        return run;
    }
}
