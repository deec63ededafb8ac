using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace Geneformer.Distributed.Cluster;

/// <summary>Remoting, clustering, failure-detector timings and TLS for every member, from <see cref="ClusterSettings"/>.</summary>
public static class AkkaClusterSetup
{
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    public static AkkaConfigurationBuilder WithGeneformerCluster(this AkkaConfigurationBuilder akka, ClusterSettings settings, string role, int port, IReadOnlyList<SeedNode> seeds)
    {
        var publicHost = string.IsNullOrEmpty(settings.Remote.PublicHostname) ? System.Net.Dns.GetHostName() : settings.Remote.PublicHostname;
        return akka
            .AddHocon(Hocon(settings), HoconAddMode.Prepend)
            .WithRemoting(new RemoteOptions { HostName = settings.Remote.Bind, PublicHostName = publicHost, Port = port })
            .WithClustering(new ClusterOptions
            {
                Roles = [role],
                SeedNodes = seeds.Select(s => s.AkkaAddress(settings.Remote.SystemName)).ToArray(),
                // The coordinator's side of any partition survives; workers cut off from it are downed and abort.
                SplitBrainResolver = new KeepOldestOption { DownIfAlone = false, Role = CoordinatorRole },
            });
    }

    /// <summary>The HOCON for failure-detector timings, join gating and TLS.</summary>
    public static string Hocon(ClusterSettings s)
    {
        static string Ms(double seconds) => $"{(long)Math.Round(seconds * 1000)}ms";
        var fd = s.FailureDetector;
        var hocon = $$"""
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters-during-shutdown = off
            akka.remote.log-remote-lifecycle-events = off
            akka.cluster.failure-detector.heartbeat-interval = {{Ms(fd.HeartbeatIntervalSeconds)}}
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {{Ms(fd.AcceptableHeartbeatPauseSeconds)}}
            akka.cluster.split-brain-resolver.stable-after = {{Ms(fd.SplitBrainStableAfterSeconds)}}
            akka.cluster.seed-node-timeout = {{Ms(fd.SeedNodeTimeoutSeconds)}}
            akka.cluster.retry-unsuccessful-join-after = {{Ms(fd.RetryUnsuccessfulJoinAfterSeconds)}}
            akka.remote.retry-gate-closed-for = {{Ms(fd.RetryGateClosedForSeconds)}}
            akka.cluster.singleton.hand-over-retry-interval = 250ms
            akka.cluster.singleton.min-number-of-hand-over-retries = 4
            akka.cluster.log-info = off
            # Akka's own SIGTERM hook would leave the cluster at once: a coordinator could not commit the final checkpoint
            # and ranks could not reach the next step boundary. SIGTERM is a preemption here (StopSignal, CoordinatorHost).
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """;
        if (s.Tls.Enabled)
        {
            var password = Environment.GetEnvironmentVariable(s.Tls.CertificatePasswordEnv) ?? "";
            hocon += $$"""

                akka.remote.dot-netty.tcp.enable-ssl = true
                akka.remote.dot-netty.tcp.ssl.suppress-validation = {{(s.Tls.SuppressValidation ? "on" : "off")}}
                akka.remote.dot-netty.tcp.ssl.certificate.path = "{{Quote(Path.GetFullPath(s.Tls.CertificatePath))}}"
                akka.remote.dot-netty.tcp.ssl.certificate.password = "{{Quote(password)}}"
                """;
        }
        return hocon;
    }

    private static string Quote(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
