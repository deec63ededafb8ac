using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Geneformer.Model;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>`pretrain --local`: a real coordinator and real rank processes (mpiexec) training the real model on loopback.</summary>
public class LocalClusterTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private string TrainingConfig(string dir)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "training.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "tiny", ["micro_batch"] = 4, ["global_batch"] = 8, ["max_steps"] = 16, ["lr"] = 0.002, ["warmup_steps"] = 2,
            ["max_length"] = 128, ["checkpoint_every"] = 4, ["eval_every"] = 1000, ["log_every"] = 1, ["device"] = "cpu", ["threads"] = 1, ["seed"] = 9,
        }));
        return path;
    }



    private static JsonElement? Status(HttpClient http, int port)
    {
        try { return JsonDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/api/status").GetAwaiter().GetResult()).RootElement.Clone(); }
        catch (HttpRequestException) { return null; }
    }

    private static Dictionary<string, float[]> Weights(string checkpoint)
    {
        using var model = ModelFolder.Load(checkpoint);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }

    [Fact]
    public void One_rank_started_directly_trains_under_the_coordinator_with_no_mpi_on_the_path()
    {
        var dir = corpus.NewDir("direct");
        var config = TrainingConfig(dir);
        var noMpi = Directory.CreateDirectory(Path.Combine(dir, "empty-path")).FullName; // mpiexec.mpich cannot be found
        var r = GeneformerProcess.RunWith(new Dictionary<string, string> { ["PATH"] = noMpi },
            "pretrain", "--training", config, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ckpt"), "--local", "--ranks", "1", "--launch", "direct");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("world size 1 (none)", r.StdOut);
        Assert.Contains("job completed", r.StdOut);
        Assert.True(Directory.Exists(Path.Combine(dir, "ckpt", "step-000016")), r.ToString());

        var refused = GeneformerProcess.Run("pretrain", "--training", config, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ckpt2"), "--local", "--ranks", "2", "--launch", "direct");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--launch direct with 2 CPU ranks", refused.StdErr);
    }

    /// <summary>KILL: the rank's process is gone. STOP: it hangs (alive, silent) until the coordinator's failure detection notices.</summary>
    [Theory]
    [InlineData("KILL")]
    [InlineData("STOP")]
    public void A_killed_or_hung_rank_is_detected_the_job_restarts_from_the_last_commit_and_ends_bit_identical(string signal)
    {
        var dir = corpus.NewDir("local");
        var config = TrainingConfig(dir);
        string[] Args(string checkpoints, int statusPort) =>
            ["pretrain", "--local", "--ranks", "2", "--status-port", statusPort.ToString(), "--training", config, "--corpus", corpus.Corpus, "--checkpoints", checkpoints];

        var straight = GeneformerProcess.Run(TimeSpan.FromMinutes(8), Args(Path.Combine(dir, "straight"), LoopbackPort.Free()));
        Assert.True(straight.ExitCode == 0, straight.ToString());

        var port = LoopbackPort.Free();
        var output = new System.Text.StringBuilder();
        using var launcher = GeneformerProcess.Start(output, null, Args(Path.Combine(dir, "killed"), port));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(6);
        int? victim = null;
        var seenSteps = new Dictionary<int, long>();
        while (DateTime.UtcNow < deadline && victim is null)
        {
            Thread.Sleep(300);
            if (Status(http, port) is not { } s) continue;
            var workers = s.GetProperty("workers").EnumerateArray().ToList();
            foreach (var w in workers) seenSteps[w.GetProperty("rank").GetInt32()] = w.GetProperty("step").GetInt64();
            // Both workers listed and advancing; kill rank 1 once a checkpoint is committed and training went past it.
            if (workers.Count == 2 && s.GetProperty("job").GetProperty("last_committed_step").ValueKind == JsonValueKind.Number
                && workers.All(w => w.GetProperty("step").GetInt64() >= 5))
                victim = workers.Single(w => w.GetProperty("rank").GetInt32() == 1).GetProperty("pid").GetInt32();
        }
        Assert.True(victim is not null, $"the status never showed both ranks past step 5: {string.Join(", ", seenSteps)}");
        Process.Start("kill", [$"-{signal}", victim.ToString()!])!.WaitForExit();

        var finished = launcher.WaitForExit(TimeSpan.FromMinutes(8));
        string Log() { lock (output) return output.ToString(); }
        if (!finished) launcher.Kill(entireProcessTree: true); // no ranks left behind for the next test
        Assert.True(finished, $"the job did not finish after the restart; the launcher's output:\n{Log()}");
        Assert.Equal(0, launcher.ExitCode);
        var a = Weights(Path.Combine(dir, "straight", "step-000016"));
        var b = Weights(Path.Combine(dir, "killed", "step-000016"));
        foreach (var (name, w) in a) Assert.True(w.SequenceEqual(b[name]), $"{name} differs after the restart");
        lock (output) Assert.Contains("launching 2 rank(s) (restart 1 of at most", output.ToString());
        lock (output) Assert.Contains("job completed", output.ToString());
    }
}
