using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// The operator's view of a live local job of two ranks: <c>geneformer status</c> and the status page in a headless
/// browser answer how far it is, when it will end, how old the last checkpoint is and how fast each rank goes.
/// </summary>
public class LiveStatusTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    [Fact]
    public async Task Status_and_the_page_show_progress_eta_checkpoint_age_validation_and_each_ranks_throughput()
    {
        var ckpt = corpus.NewDir("ckpt");
        var output = new StringBuilder();
        using var job = GeneformerProcess.Start(output, null, "pretrain", "--local", "--ranks", "2", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", ckpt,
            "--threads", "1", "--max-steps", "2000", "--checkpoint-every", "10", "--eval-every", "10", "--set", "log_every=2");
        string Log() { lock (output) return output.ToString(); }
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            Match url;
            while (!(url = Regex.Match(Log(), @"status: (http://\S+/)")).Success && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.True(url.Success, Log());
            var coordinator = url.Groups[1].Value;
            using var http = new HttpClient();
            JsonElement status = default;
            while (DateTime.UtcNow < deadline)
            {
                status = JsonDocument.Parse(await http.GetStringAsync(coordinator + "api/status")).RootElement;
                var j = status.GetProperty("job");
                if (j.GetProperty("step").ValueKind == JsonValueKind.Number && j.GetProperty("step").GetInt64() >= 22 && status.GetProperty("validation").GetArrayLength() >= 1
                    && j.GetProperty("eta_seconds").ValueKind == JsonValueKind.Number && j.GetProperty("last_committed_step").ValueKind == JsonValueKind.Number) break;
                await Task.Delay(500);
            }
            var jobDoc = status.GetProperty("job");
            Assert.True(jobDoc.GetProperty("eta_seconds").ValueKind == JsonValueKind.Number, $"{status}\n{Log()}");
            Assert.Equal(2000, jobDoc.GetProperty("max_steps").GetInt64());
            Assert.True(jobDoc.GetProperty("mfu").GetDouble() > 0);
            Assert.All(status.GetProperty("workers").EnumerateArray(), w =>
            {
                Assert.True(w.GetProperty("tokens_per_second").GetDouble() > 0);
                Assert.True(w.GetProperty("compute_seconds").GetDouble() > 0);
                Assert.True(w.GetProperty("mfu").GetDouble() > 0);
            });

            var shown = GeneformerProcess.Run("status", "--coordinator", coordinator);
            Assert.True(shown.ExitCode == 0, shown.ToString());
            Assert.Matches(@"step \d+/2000  ETA (\d+h )?(\d+m )?\d+s  tokens/s \d+  MFU \d+\.\d%", shown.StdOut);
            Assert.Matches(@"last committed step \d+ \((\d+m )?\d+s ago\)", shown.StdOut);
            Assert.Matches(@"validation loss \d+\.\d{4} at step \d+", shown.StdOut);
            Assert.Contains("compute s", shown.StdOut);

            var dom = HeadlessChromium.DumpDom(coordinator, corpus.NewDir("chromium"), TimeSpan.FromSeconds(90));
            Assert.True(dom.ExitCode == 0, dom.ToString());
            Assert.Matches("<tr class=\"worker\" data-rank=\"0\">", dom.StdOut);
            Assert.Matches("<tr class=\"worker\" data-rank=\"1\">", dom.StdOut);
            Assert.Matches(@"ETA: (\d+h )?(\d+m )?\d+s", dom.StdOut);
            Assert.Matches("<canvas id=\"loss\"[^>]* data-points=\"[1-9]\\d*\" data-validation-points=\"[1-9]\\d*\"", dom.StdOut);
        }
        finally
        {
            job.Kill(entireProcessTree: true);
            await job.WaitForExitAsync();
        }
    }
}
