using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// tools/bench/gpu_peers.py and speed_table.py, which make the GPU speed table, run here on the CPU with Debian's torch:
/// the rows this torch can run give figures, the others say why not, and the table puts this project's bench beside them.
/// </summary>
public class GpuSpeedTableTests
{
    private static string Tool(string name) => Path.Combine(RepoPaths.Root, "tools", "bench", name);

    [Fact]
    public void The_peers_and_this_projects_bench_make_one_table_with_the_same_flop_count()
    {
        using var tmp = new TempDir();
        var peers = ProcessRunner.Run(ProcessRunner.DebianPython, [Tool("gpu_peers.py"), "--config", Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json"),
            "--batch", "2", "--seq-len", "32", "--steps", "2", "--warmup", "1", "--device", "cpu"], TimeSpan.FromMinutes(3));
        Assert.True(peers.ExitCode == 0, peers.StdErr);
        var rows = peers.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["hf-sdpa", "eager-mask", "eager-flash", "compile-flash"], rows.Select(r => r.GetProperty("row").GetString()));
        var eager = rows.Single(r => r.GetProperty("row").GetString() == "eager-mask");
        var compile = rows.Single(r => r.GetProperty("row").GetString() == "compile-flash");
        if (!compile.TryGetProperty("skipped", out var why)) throw new Xunit.Sdk.XunitException("this torch has torch.compile; the test expects Debian's torch 1.13");
        Assert.Contains("torch.compile", why.GetString());

        var ours = GeneformerProcess.Run("bench", "--only", "model-step", "train-step", "--model", "tiny", "--batch", "2", "--seq-len", "32", "--steps", "2", "--warmup", "1", "--threads", "1", "--json");
        Assert.Equal(0, ours.ExitCode);
        var figures = BenchFigures.Parse(ours);
        var modelStep = figures.Single("model-step.tflops");
        var modelTokens = figures.Single("model-step.tokens_per_s");
        // FLOPs per token, the same formula on both sides.
        Assert.Equal(modelStep.Value() / modelTokens.Value(), eager.GetProperty("tflops").GetDouble() / eager.GetProperty("tokens_per_s").GetDouble(), 12);

        File.WriteAllText(tmp["ours.jsonl"], ours.StdOut);
        File.WriteAllText(tmp["peers.jsonl"], peers.StdOut);
        var table = ProcessRunner.Run(ProcessRunner.DebianPython, [Tool("speed_table.py"), "--ours", tmp["ours.jsonl"], "--peers", tmp["peers.jsonl"]], TimeSpan.FromMinutes(1));
        Assert.True(table.ExitCode == 0, table.StdErr);
        Assert.Contains("### tiny, 2 x 32", table.StdOut);
        var trainer = figures.Single("train-step.tokens_per_s").Value();
        var eagerLine = table.StdOut.Split('\n').Single(l => l.StartsWith("| eager PyTorch, same model, bool key mask", StringComparison.Ordinal));
        var ratio = double.Parse(eagerLine.Split('|', StringSplitOptions.TrimEntries)[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs(trainer / eager.GetProperty("tokens_per_s").GetDouble() - ratio), 0, 0.006); // printed to 2 decimals
        Assert.Contains("| `torch.compile` of the same | not run: torch", table.StdOut);
    }
}
