using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>What a local job prints: nothing alarming when it succeeds; a progress line on a terminal, plain lines in a pipe; JSON lines for log collectors.</summary>
public class ConsoleOutputTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private string[] LocalJob(params string[] extra) =>
        ["pretrain", "--local", "--ranks", "2", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", corpus.NewDir("ckpt"), "--threads", "1",
         "--max-steps", "8", "--checkpoint-every", "4", "--eval-every", "4", "--set", "log_every=2", .. extra];

    private static void AssertQuiet(string output)
    {
        var noisy = output.Split('\n').Where(l => l.Contains("ERROR") || l.Contains("Exception") || Regex.IsMatch(l, @"^\s+at \S")).ToList();
        Assert.True(noisy.Count == 0, $"a successful job printed errors or stack traces:\n{string.Join('\n', noisy.Take(20))}");
    }

    [Fact]
    public void Piped_a_successful_job_prints_plain_lines_and_no_error_or_stack_trace()
    {
        var r = GeneformerProcess.Run(LocalJob());
        Assert.True(r.ExitCode == 0, r.ToString());
        AssertQuiet(r.StdOut + r.StdErr);
        Assert.Matches(@"(?m)^step=8  loss=\d+\.\d+ .*tokens_per_s=", r.StdOut);
        Assert.DoesNotContain("\r", r.StdOut);
        Assert.Contains("job completed 8 steps", r.StdOut);
    }

    [Fact]
    public void On_a_terminal_the_job_shows_one_progress_line_with_the_eta()
    {
        // script(1) gives the job a pseudo-terminal, as an interactive shell would.
        var command = string.Join(' ', new[] { "dotnet", GeneformerProcess.Dll }.Concat(LocalJob()).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var r = ProcessRunner.Run("script", ["-q", "-e", "-c", command, "/dev/null"], TimeSpan.FromMinutes(5),
            env: new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") });
        Assert.True(r.ExitCode == 0, r.ToString());
        AssertQuiet(r.StdOut);
        Assert.Matches(@"\r\u001b\[Kstep 8/8 \(100%\)  loss \d+\.\d{4}  tokens/s \d+  ETA \d+s", r.StdOut);
        Assert.DoesNotMatch(@"(?m)^step=\d+  loss=", r.StdOut); // the progress line replaces the per-step lines
        Assert.Contains("finished at step 8", r.StdOut);
    }

    [Fact]
    public void With_log_format_json_every_line_of_every_process_is_a_json_object_naming_rank_node_and_generation()
    {
        var r = GeneformerProcess.Run(LocalJob("--log-format", "json"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = (r.StdOut + r.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var records = lines.Select(l =>
        {
            try { return JsonDocument.Parse(l).RootElement; }
            catch (JsonException) { throw new Xunit.Sdk.XunitException($"not a JSON line: {l}\n{r}"); }
        }).ToList();
        Assert.All(records, e =>
        {
            Assert.True(DateTime.TryParse(e.GetProperty("time").GetString(), out _));
            Assert.Contains(e.GetProperty("level").GetString(), new[] { "info", "warning", "error", "debug" });
            Assert.False(string.IsNullOrEmpty(e.GetProperty("node").GetString()));
        });
        var step = records.Single(e => e.GetProperty("message").GetString()!.StartsWith("step=8  loss=", StringComparison.Ordinal));
        Assert.Equal(0, step.GetProperty("rank").GetInt32());
        Assert.Equal(1, step.GetProperty("generation").GetInt32());
        Assert.Contains(records, e => e.GetProperty("message").GetString() == "job completed 8 steps (exit 0)");

        var bad = GeneformerProcess.Run("status", "--coordinator", "http://127.0.0.1:1/", "--log-format", "xml");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--log-format xml: expected text or json", bad.StdErr);
    }
}
