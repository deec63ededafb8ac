using Akka.Cluster.Hosting;
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
            .AddHocon(Hocon(settings, role), HoconAddMode.Prepend)
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                Roles = [role],
                SeedNodes = seeds.Select(s => s.AkkaAddress(settings.Remote.SystemName, settings.Tls.Enabled)).ToArray(),
            });
    }

    /// <summary>The HOCON for failure detection, downing, join gating and dispatchers (TLS goes in <see cref="ClusterTls.Options"/>).</summary>
    public static string Hocon(ClusterSettings s, string role = WorkerRole)
    {
        static string Ms(double seconds) => $"{(long)Math.Round(seconds * 1000)}ms";
        var fd = s.FailureDetector;
        var hocon = $$"""
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters-during-shutdown = off
            akka.remote.log-remote-lifecycle-events = off
            akka.cluster.failure-detector.heartbeat-interval = {{Ms(fd.HeartbeatIntervalSeconds)}}
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {{Ms(fd.AcceptableHeartbeatPauseSeconds)}}
            # No split-brain resolver, no auto-downing: the coordinator alone decides that a rank failed (from its exit, its
            # report silence or its own error) and downs members itself. Akka's reachability is every member's view of
            # its neighbours' heartbeats; on loaded nodes a late observer makes busy ranks look dead, and the resolver's
            # down-all-when-unstable would then down every member, the coordinator included.
            akka.cluster.downing-provider-class = ""
            akka.cluster.seed-node-timeout = {{Ms(fd.SeedNodeTimeoutSeconds)}}
            akka.cluster.retry-unsuccessful-join-after = {{Ms(fd.RetryUnsuccessfulJoinAfterSeconds)}}
            akka.remote.retry-gate-closed-for = {{Ms(fd.RetryGateClosedForSeconds)}}
            akka.cluster.singleton.hand-over-retry-interval = 250ms
            akka.cluster.singleton.min-number-of-hand-over-retries = 4
            akka.cluster.log-info = off
            # Akka's timer wheel wakes every tick; at the default 10 ms an idle member spends about 7% of a core on it
            # (measured with 64 ranks on one machine in mind). Every timer here is 250 ms or more.
            akka.scheduler.tick-duration = 100ms
            # Akka's own SIGTERM hook would leave the cluster at once: a coordinator could not commit the final checkpoint
            # and ranks could not reach the next step boundary. SIGTERM is a preemption here (StopSignal, CoordinatorHost).
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """;
        if (role != WorkerRole) return hocon;
        // A rank process trains on every core it has and may block .NET thread-pool threads; its actors (reports,
        // heartbeats, the cluster's gossip) run on threads of their own so they never wait behind that work.
        return hocon + "\n" + string.Join("\n", new[] { "akka.actor.default-dispatcher", "akka.actor.internal-dispatcher", "akka.remote.default-remote-dispatcher", "akka.remote.backoff-remote-dispatcher" }
            .Select(d => $"{d} {{ executor = fork-join-executor, fork-join-executor {{ parallelism-min = 2, parallelism-factor = 1.0, parallelism-max = 2 }} }}"));
    }
}
