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
        var remote = new RemoteOptions { HostName = settings.Remote.Bind, PublicHostName = publicHost, Port = port };
        if (settings.Tls.Enabled) (remote.EnableSsl, remote.Ssl) = (true, ClusterTls.Options(settings.Tls));
        return akka
            .AddHocon(Hocon(settings), HoconAddMode.Prepend)
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                Roles = [role],
                SeedNodes = seeds.Select(s => s.AkkaAddress(settings.Remote.SystemName, settings.Tls.Enabled)).ToArray(),
                // The coordinator's side of any partition survives; workers cut off from it are downed and abort.
                SplitBrainResolver = new KeepOldestOption { DownIfAlone = false, Role = CoordinatorRole },
            });
    }

    /// <summary>The HOCON for failure-detector timings and join gating (TLS goes in <see cref="ClusterTls.Options"/>).</summary>
    public static string Hocon(ClusterSettings s)
    {
        static string Ms(double seconds) => $"{(long)Math.Round(seconds * 1000)}ms";
        var fd = s.FailureDetector;
        return $$"""
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
    }
}
