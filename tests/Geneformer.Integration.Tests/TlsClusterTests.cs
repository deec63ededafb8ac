using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>
/// Cluster traffic with TLS on, between real processes: `geneformer coordinator` and `geneformer worker` with a shared
/// self-signed certificate train; a worker holding another certificate is never let in.
/// </summary>
public class TlsClusterTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private const string PasswordVariable = "GENEFORMER_TEST_TLS_PASSWORD";
    private const string Password = "cluster-secret";
    private static readonly Dictionary<string, string> PasswordEnvironment = new() { [PasswordVariable] = Password };

    /// <summary>The local cluster profile with TLS on and this certificate, as a user's cluster config file.</summary>
    private static string ClusterConfig(string dir, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=geneformer-cluster", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var pfx = Path.Combine(dir, $"{name}.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, Password));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "cluster-configs", "cluster", "local.json")))!;
        config["tls"]!["enabled"] = true;
        config["tls"]!["certificate_path"] = pfx;
        config["tls"]!["certificate_password_env"] = PasswordVariable;
        var path = Path.Combine(dir, $"{name}.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }



    [Fact]
    public async Task Ranks_with_the_cluster_certificate_train_over_tls_and_one_with_another_certificate_is_refused()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("tls")).FullName;
        var cluster = ClusterConfig(dir, "cluster");
        var stranger = ClusterConfig(dir, "stranger");
        var (port, statusPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        var checkpoints = Path.Combine(dir, "ckpt");
        var log = new System.Text.StringBuilder();
        string Log() { lock (log) return log.ToString(); }
        using var coordinator = GeneformerProcess.Start(log, PasswordEnvironment, "coordinator", "--world-size", "1", "--checkpoints", checkpoints, "--corpus", corpus.Corpus, "--cluster", cluster,
            "--port", port.ToString(), "--status-port", statusPort.ToString(), "--bind", "127.0.0.1", "--public-hostname", "127.0.0.1");
        string[] Worker(string config) => ["worker", "--coordinator", $"127.0.0.1:{port}", "--cluster", config, "--training", "tiny", "--corpus", corpus.Corpus,
            "--checkpoints", checkpoints, "--max-steps", "4", "--checkpoint-every", "2", "--threads", "1", "--device", "cpu"];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var refusedLog = new System.Text.StringBuilder();
            using (var refused = GeneformerProcess.Start(refusedLog, PasswordEnvironment, Worker(stranger)))
            {
                // Several join retries (the local profile retries every second): it must never get in.
                await Task.Delay(TimeSpan.FromSeconds(12));
                var status = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{statusPort}/api/status"))!;
                Assert.True(status["job"]!["phase"]!.GetValue<string>() == "rendezvous" && status["workers"]!.AsArray().Count == 0,
                    $"a worker with another certificate got in: {status.ToJsonString()}\n--- its output\n{refusedLog}");
                Assert.False(Directory.Exists(Path.Combine(checkpoints, "step-000002")));
                if (!refused.HasExited) refused.Kill(entireProcessTree: true);
            }

            var memberLog = new System.Text.StringBuilder();
            using var member = GeneformerProcess.Start(memberLog, PasswordEnvironment, Worker(cluster));
            Assert.True(member.WaitForExit(TimeSpan.FromMinutes(4)), $"the worker with the cluster certificate did not finish:\n{memberLog}\n--- coordinator\n{Log()}");
            Assert.True(member.ExitCode == 0, $"worker exit {member.ExitCode}:\n{memberLog}");
            Assert.True(coordinator.WaitForExit(TimeSpan.FromMinutes(1)), Log());
            Assert.True(coordinator.ExitCode == 0, $"coordinator exit {coordinator.ExitCode}:\n{Log()}");
            Assert.Contains("akka.ssl.tcp://", Log()); // the TLS transport, not plain TCP
            Assert.True(Directory.Exists(Path.Combine(checkpoints, "step-000004")), Log());
        }
        finally
        {
            if (!coordinator.HasExited) coordinator.Kill(entireProcessTree: true);
        }
    }
}
