using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Geneformer.Data.Loading;
using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;

namespace Geneformer.Distributed.Tests.Cluster;

public class PlanAndConfigTests
{
    [Theory]
    [InlineData("node[01-03,07]", "node01,node02,node03,node07")]
    [InlineData("gpu-a100-[8-10],login1", "gpu-a100-8,gpu-a100-9,gpu-a100-10,login1")]
    [InlineData("r[1-2]n[001-002]", "r1n001,r1n002,r2n001,r2n002")]
    [InlineData("single", "single")]
    [InlineData("a[9],b[098-100]", "a9,b098,b099,b100")]
    public void Slurm_node_lists_expand_like_scontrol_show_hostnames(string list, string expected) =>
        Assert.Equal(expected.Split(','), SlurmNodeList.Expand(list));

    [Theory]
    [InlineData("node[01-03")]
    [InlineData("node[3-1]")]
    [InlineData("node[a-b]")]
    [InlineData("")]
    public void Malformed_node_lists_are_refused(string list) =>
        Assert.Throws<FormatException>(() => SlurmNodeList.Expand(list));

    [Fact]
    public void The_seed_host_is_the_first_host_of_the_job_node_list() =>
        Assert.Equal("cn007", SlurmNodeList.FirstHost(new Dictionary<string, string?> { ["SLURM_JOB_NODELIST"] = "cn[007-009],gpu1" }));

    [Theory]
    [InlineData(100, 24, 4, 3, 0, 50)]
    [InlineData(64, 8, 2, 2, 3, 30)]
    [InlineData(7, 4, 1, 4, 1, 9)]
    public void The_plan_gives_every_cell_to_exactly_one_rank_per_epoch_balanced_and_matches_the_loader_formula(long cells, long global, int micro, int world, long first, long steps)
    {
        var job = new JobSettings(global, micro, Seed: 3, MaxSteps: steps, KeepLast: 2);
        var plan = DataPlanner.Build(cells, job, world, first);
        var order = new GlobalSampleOrder(cells, 3);
        var seen = new Dictionary<long, long[]>(); // epoch -> reads per cell
        var perRank = new Dictionary<(long Epoch, int Rank), long>();
        var g = BatchGeometry.FromGlobal(global, micro, world);
        for (var s = first; s < steps; s++)
            for (var r = 0; r < world; r++)
                foreach (var (cell, epoch) in StepSamples.Of(order, _ => 1, g, r, s, lengthGrouped: false).SelectMany(m => m))
                {
                    if (!seen.TryGetValue(epoch, out var reads)) seen[epoch] = reads = new long[cells];
                    reads[cell]++;
                    perRank[(epoch, r)] = perRank.GetValueOrDefault((epoch, r)) + 1;
                }
        foreach (var e in plan.Epochs)
        {
            for (var r = 0; r < world; r++) Assert.Equal(perRank.GetValueOrDefault((e.Epoch, r)), e.CellsPerRank[r]);
            Assert.InRange(e.CellsPerRank.Max() - e.CellsPerRank.Min(), 0, micro);
            var whole = e.Epoch * cells >= first * global && (e.Epoch + 1) * cells <= steps * global;
            if (whole) Assert.All(seen[e.Epoch], reads => Assert.Equal(1, reads));
            else Assert.All(seen[e.Epoch], reads => Assert.InRange(reads, 0, 1));
        }
        Assert.Equal((steps - first) * global, plan.Epochs.Sum(e => e.CellsPerRank.Sum()));
    }

    [Fact]
    public void A_rank_with_a_different_corpus_seed_or_length_grouping_rejects_the_coordinators_plan()
    {
        var job = new JobSettings(8, 2, 7, 100, 3);
        var plan = DataPlanner.Build(64, job, 2, 10);
        DataPlanner.Verify(plan, 64, job, 2);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => DataPlanner.Verify(plan, 63, job, 2)).Message);
        Assert.Throws<InvalidDataException>(() => DataPlanner.Verify(plan, 64, job with { Seed = 8 }, 2));
        Assert.Contains("length grouping False", Assert.Throws<InvalidDataException>(() => DataPlanner.Verify(plan, 64, job with { LengthGrouping = false }, 2)).Message);
        Assert.Throws<InvalidDataException>(() => DataPlanner.Verify(plan with { Epochs = [.. plan.Epochs.Skip(1)] }, 64, job, 2));
        // The start order carries the summary (no shares): each rank counts the shares and checks the checksum.
        DataPlanner.Verify(plan.Summary(), 64, job, 2);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => DataPlanner.Verify(plan.Summary(), 64, job with { GlobalBatch = 16 }, 2)).Message);
    }

    [Fact]
    public void Cluster_settings_come_from_the_profile_then_environment_then_overrides_and_unknown_keys_are_refused()
    {
        var defaults = ClusterSettingsLoader.Load("default");
        Assert.Equal(4053, defaults.Remote.CoordinatorPort);
        Assert.Equal(3, defaults.Job.MaxRestarts);
        Environment.SetEnvironmentVariable("GENEFORMER_CLUSTER_job__max_restarts", "9");
        try
        {
            Assert.Equal(9, ClusterSettingsLoader.Load("default").Job.MaxRestarts);
            Assert.Equal(1, ClusterSettingsLoader.Load("default", new Dictionary<string, string?> { ["job:max_restarts"] = "1" }).Job.MaxRestarts);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GENEFORMER_CLUSTER_job__max_restarts", null);
        }
        using var tmp = new TempDir();
        File.WriteAllText(tmp["bad.json"], "{ \"job\": { \"max_restart\": 2 } }");
        Assert.Contains("unknown setting 'job:max_restart'", Assert.Throws<InvalidDataException>(() => ClusterSettingsLoader.Load(tmp["bad.json"])).Message);
        File.WriteAllText(tmp["bad.json"], "{ \"job\": { \"heartbeat_timeout_s\": 1 } }");
        Assert.Contains("job.heartbeat_timeout_s", Assert.Throws<InvalidDataException>(() => ClusterSettingsLoader.Load(tmp["bad.json"])).Message);
        Assert.Throws<ArgumentException>(() => ClusterSettingsLoader.Load("default", new Dictionary<string, string?> { ["remote:seed_nodes:0"] = "no-port" }));
    }

    [Fact]
    public void Failure_detector_timings_become_akka_configuration()
    {
        var settings = ClusterSettingsLoader.Load("default", new Dictionary<string, string?> { ["failure_detector:acceptable_heartbeat_pause_s"] = "4.5" });
        var hocon = Akka.Configuration.ConfigurationFactory.ParseString(AkkaClusterSetup.Hocon(settings));
        Assert.Equal(TimeSpan.FromSeconds(4.5), hocon.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(2), hocon.GetTimeSpan("akka.cluster.retry-unsuccessful-join-after"));
    }

    [Fact]
    public void Tls_settings_give_akka_remote_the_certificate_mutual_authentication_and_a_validator_pinned_to_it()
    {
        using var tmp = new TempDir();
        using var shared = new TestCertificate(tmp["cluster.pfx"]);
        using var other = new TestCertificate(tmp["other.pfx"]);
        var ssl = ClusterTls.Options(ClusterSettingsLoader.Load("default", shared.Overrides).Tls);
        Assert.Equal(shared.Certificate.RawData, ssl.X509Certificate!.RawData);
        Assert.True(ssl.X509Certificate.HasPrivateKey);
        Assert.True(ssl.RequireMutualAuthentication);
        var pinned = ssl.CustomValidator!;
        Assert.True(pinned(shared.Certificate, null, "peer", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance)); // self-signed: no chain check
        Assert.False(pinned(other.Certificate, null, "peer", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
        Assert.False(pinned(null, null, "peer", SslPolicyErrors.RemoteCertificateNotAvailable, NoLogger.Instance));

        var chained = Validator(shared.With(("tls:suppress_validation", "false")), shared.Certificate);
        Assert.False(chained(shared.Certificate, null, "peer", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
        Assert.True(chained(shared.Certificate, null, "peer", SslPolicyErrors.None, NoLogger.Instance));
        Assert.False(chained(other.Certificate, null, "peer", SslPolicyErrors.None, NoLogger.Instance));

        // One certificate per node from a CA every node trusts.
        var perNode = Validator(shared.With(("tls:suppress_validation", "false"), ("tls:pin_certificate", "false")), shared.Certificate);
        Assert.True(perNode(other.Certificate, null, "peer", SslPolicyErrors.None, NoLogger.Instance));
        Assert.False(perNode(other.Certificate, null, "peer", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
    }

    private static CertificateValidationCallback Validator(Dictionary<string, string?> overrides, X509Certificate2 own) =>
        ClusterTls.PeerValidator(ClusterSettingsLoader.Load("default", overrides).Tls, own);

    [Fact]
    public void Tls_settings_that_would_accept_any_certificate_or_cannot_open_it_are_refused()
    {
        using var tmp = new TempDir();
        using var shared = new TestCertificate(tmp["cluster.pfx"]);
        Assert.Contains("tls.certificate_path", Assert.Throws<InvalidDataException>(() =>
            ClusterSettingsLoader.Load("default", shared.With(("tls:certificate_path", tmp["missing.pfx"])))).Message);
        Assert.Contains("tls.pin_certificate", Assert.Throws<InvalidDataException>(() =>
            ClusterSettingsLoader.Load("default", shared.With(("tls:pin_certificate", "false")))).Message);
        var unset = ClusterSettingsLoader.Load("default", shared.With(("tls:certificate_password_env", "GENEFORMER_TEST_UNSET_PASSWORD")));
        Assert.Contains("$GENEFORMER_TEST_UNSET_PASSWORD", Assert.Throws<InvalidDataException>(() => ClusterTls.Options(unset.Tls)).Message);
    }

    [Fact]
    public void Corpus_facts_come_from_the_manifest_counts_and_shards()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["manifest.json"], "{\"counts\": {\"train\": 30, \"validation\": 2}, \"shards\": {\"train\": [{\"file\": \"a\", \"rows\": 20}, {\"file\": \"b\", \"rows\": 10}]}}");
        Assert.Equal(30, CorpusFacts.Read(tmp.Path).TrainCells);
        Assert.Equal([20L, 10L], CorpusFacts.Read(tmp.Path).TrainShardRows);
        File.WriteAllText(tmp["manifest.json"], "{\"counts\": {\"train\": 31}, \"shards\": {\"train\": [{\"file\": \"a\", \"rows\": 20}]}}");
        Assert.Contains("sum to 20", Assert.Throws<InvalidDataException>(() => CorpusFacts.Read(tmp.Path)).Message);
        File.Delete(tmp["manifest.json"]);
        Assert.Throws<FileNotFoundException>(() => CorpusFacts.Read(tmp.Path));
    }
}
