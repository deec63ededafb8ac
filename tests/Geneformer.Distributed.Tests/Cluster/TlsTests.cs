using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Geneformer.Distributed.Cluster;
using Geneformer.TestSupport;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>TLS on the cluster transport, live over loopback, with self-signed certificates made by each test.</summary>
public class TlsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    /// <summary>Several join retries of the test profile (seed_node_timeout_s and retry_unsuccessful_join_after_s are 1).</summary>
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_coordinator_port_speaks_tls_and_keeps_only_connections_that_present_the_cluster_certificate()
    {
        using var tmp = new TempDir();
        using var shared = new TestCertificate(tmp["cluster.pfx"]);
        using var other = new TestCertificate(tmp["other.pfx"]);
        await using var cluster = await TestCluster.StartAsync(1, tmp["ckpt"], shared.Overrides);

        Assert.Equal(shared.Certificate.RawData, (await TlsProbe.ServerCertificateAsync(cluster.Seed, shared.Certificate)).RawData);
        Assert.False(await TlsProbe.IsRefusedAsync(cluster.Seed, shared.Certificate, TimeSpan.FromSeconds(2)));
        Assert.True(await TlsProbe.IsRefusedAsync(cluster.Seed, other.Certificate, Patience), "a client with another certificate was kept");
        Assert.True(await TlsProbe.IsRefusedAsync(cluster.Seed, null, Patience), "a client without a certificate was kept");
    }

    [Fact]
    public async Task A_worker_with_another_certificate_never_joins_and_one_with_the_cluster_certificate_does()
    {
        using var tmp = new TempDir();
        using var shared = new TestCertificate(tmp["cluster.pfx"]);
        using var other = new TestCertificate(tmp["other.pfx"]);
        await using var cluster = await TestCluster.StartAsync(2, tmp["ckpt"], shared.Overrides);
        var members = AkkaCluster.Get(cluster.Coordinator.System);

        var outsider = await cluster.JoinAsync(1, settings: TestCluster.TestSettings(cluster.Seed.Port, other.Overrides), node: "outsider");
        await Task.Delay(RefusalWait);
        Assert.Empty((await cluster.StatusAsync()).Workers);
        Assert.Empty(AkkaCluster.Get(outsider.Agent!.System).State.Members);

        await cluster.JoinAsync(0);
        var status = await cluster.WaitForStatusAsync(s => s.Workers.Length == 1, Patience, "the worker with the cluster certificate to register");
        Assert.Equal([0], status.Workers.Select(w => w.Rank));
        Assert.DoesNotContain(members.State.Members, m => m.Address == AkkaCluster.Get(outsider.Agent!.System).SelfAddress);
    }

    [Fact]
    public async Task A_worker_refuses_a_coordinator_that_presents_another_certificate()
    {
        using var tmp = new TempDir();
        using var shared = new TestCertificate(tmp["cluster.pfx"]);
        using var other = new TestCertificate(tmp["other.pfx"]);

        var refused = await ServeOneWorkerAsync(serverCertificate: other.Certificate, worker: shared);
        Assert.False(refused.Spoke, "the worker spoke to a coordinator with another certificate");

        var accepted = await ServeOneWorkerAsync(serverCertificate: shared.Certificate, worker: shared);
        Assert.True(accepted.Spoke, "the worker did not speak to a coordinator with the cluster certificate");
        Assert.Equal(shared.Certificate.RawData, accepted.Presented);
    }

    /// <summary>
    /// Poses as the coordinator (a TLS server holding <paramref name="serverCertificate"/>) for one connection from a real
    /// worker. Spoke: the worker sent its first Akka message over the connection rather than dropping it. Presented: the worker's certificate.
    /// </summary>
    private static async Task<(bool Spoke, byte[]? Presented)> ServeOneWorkerAsync(X509Certificate2 serverCertificate, TestCertificate worker)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var seed = new SeedNode("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        var options = new ClusterRankOptions(TestCluster.TestSettings(seed.Port, worker.Overrides), [seed],
            new WorkerIdentity("node-0", 0, 0, "cpu", Environment.ProcessId), TestCluster.Job, TestCluster.TrainCells) { LogLevel = MelLogLevel.Warning };
        await using var rank = await ClusterRank.JoinAsync(options);
        using var connection = await listener.AcceptTcpClientAsync().WaitAsync(Patience);
        byte[]? presented = null;
        await using var tls = new SslStream(connection.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => (presented = certificate?.GetRawCertData()) is not null,
            }).WaitAsync(Patience);
            // A client checks the server's certificate once its own side of the handshake is done (TLS 1.3 on OpenSSL),
            // so a refusal shows as a closed connection.
            return (await tls.ReadAsync(new byte[1]).AsTask().WaitAsync(Patience) > 0, presented);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return (false, presented);
        }
    }
}
