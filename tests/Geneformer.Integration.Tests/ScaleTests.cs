using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.Model;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>
/// `pretrain --local` at the scale a two-core machine can hold in CI: 24 ranks laid out as 3 nodes of 8, each rank a
/// real process (mpiexec) training the micro preset, a node agent per node. It must complete, its checkpoints verify,
/// its final weights equal one process's on the same global batch, and its console stays quiet. (tools/drills.sh
/// runs 64 ranks as 8 nodes; docs/drills.md has the figures.)
/// </summary>
public class ScaleTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private const int Ranks = 24, Nodes = 3;

    [Fact]
    public async Task A_24_rank_job_on_3_nodes_completes_quietly_with_the_weights_of_one_process()
    {
        var dir = corpus.NewDir("scale");
        var port = LoopbackPort.Free();
        var output = new System.Text.StringBuilder();
        string Log() { lock (output) return output.ToString(); }
        using var job = GeneformerProcess.Start(output, null, "pretrain", "--local", "--ranks", Ranks.ToString(), "--nodes", Nodes.ToString(), "--status-port", port.ToString(),
            "--training", "micro", "--global-batch", (2 * Ranks).ToString(), "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ranks"));

        // Every worker is listed under its node, with its place on that node.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        List<JsonElement>? workers = null;
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (DateTime.UtcNow < deadline && !job.HasExited && workers is not { Count: Ranks })
        {
            await Task.Delay(1000);
            try
            {
                var status = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/api/status")).RootElement;
                if (status.GetProperty("job").GetProperty("phase").GetString() == "running") workers = [.. status.GetProperty("workers").EnumerateArray().Select(w => w.Clone())];
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        }
        Assert.True(workers is { Count: Ranks }, $"the status never listed {Ranks} running workers; the job's output:\n{Log()}");
        foreach (var node in workers!.GroupBy(w => w.GetProperty("node").GetString()))
            Assert.Equal(Enumerable.Range(0, Ranks / Nodes), node.Select(w => w.GetProperty("local_rank").GetInt32()).Order());
        Assert.Equal(["node-00", "node-01", "node-02"], workers.Select(w => w.GetProperty("node").GetString()).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, Ranks), workers.Select(w => w.GetProperty("rank").GetInt32()).Order());

        var finished = job.WaitForExit(TimeSpan.FromMinutes(15));
        if (!finished) job.Kill(entireProcessTree: true);
        Assert.True(finished && job.ExitCode == 0, $"exit {(finished ? job.ExitCode : "none: killed after 15 minutes")}; the job's output:\n{Log()}");
        Assert.Contains("job completed 12 steps", Log());
        var noisy = Log().Split('\n').Where(l => l.Contains("ERROR") || l.Contains("Exception") || Regex.IsMatch(l, @"^\s+at \S")).ToList();
        Assert.True(noisy.Count == 0, $"a successful job printed errors or stack traces:\n{string.Join('\n', noisy.Take(20))}");

        var verify = GeneformerProcess.Run("checkpoints", "verify", Path.Combine(dir, "ranks"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var one = GeneformerProcess.Run("pretrain", "--training", "micro", "--global-batch", (2 * Ranks).ToString(), "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "one"));
        Assert.True(one.ExitCode == 0, one.ToString());
        var a = Weights(Path.Combine(dir, "one", "step-000012"));
        var b = Weights(Path.Combine(dir, "ranks", "step-000012"));
        foreach (var (name, w) in a)
        {
            var max = w.Zip(b[name]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(max < 1e-5, $"{name}: {Ranks} ranks and one process differ by {max}");
        }
    }

    private static Dictionary<string, float[]> Weights(string checkpoint)
    {
        using var model = ModelFolder.Load(checkpoint);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }
}
