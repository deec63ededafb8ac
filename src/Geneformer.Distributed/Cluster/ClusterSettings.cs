using Microsoft.Extensions.Configuration;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Control-plane settings, read from cluster-configs/cluster/NAME.json, then GENEFORMER_CLUSTER_* environment
/// variables (section separator <c>__</c>), then command-line options (see <see cref="ClusterSettingsLoader"/>).
/// </summary>
public sealed class ClusterSettings
{
    [ConfigurationKeyName("remote")] public RemoteSection Remote { get; set; } = new();
    [ConfigurationKeyName("failure_detector")] public FailureDetectorSection FailureDetector { get; set; } = new();
    [ConfigurationKeyName("tls")] public TlsSection Tls { get; set; } = new();
    [ConfigurationKeyName("status")] public StatusSection Status { get; set; } = new();
    [ConfigurationKeyName("job")] public JobSection Job { get; set; } = new();

    public sealed class RemoteSection
    {
        [ConfigurationKeyName("system_name")] public string SystemName { get; set; } = "geneformer";
        /// <summary>Address the cluster transport binds to (0.0.0.0: every interface).</summary>
        [ConfigurationKeyName("bind")] public string Bind { get; set; } = "0.0.0.0";
        /// <summary>Address other members use to reach this one; empty: this machine's host name.</summary>
        [ConfigurationKeyName("public_hostname")] public string PublicHostname { get; set; } = "";
        /// <summary>The coordinator's port (the seed node's); workers take a free port.</summary>
        [ConfigurationKeyName("coordinator_port")] public int CoordinatorPort { get; set; } = 4053;
        /// <summary>HOST:PORT of the seed nodes (the coordinator). Empty on the coordinator: it seeds itself.</summary>
        [ConfigurationKeyName("seed_nodes")] public string[] SeedNodes { get; set; } = [];
    }

    public sealed class FailureDetectorSection
    {
        [ConfigurationKeyName("heartbeat_interval_s")] public double HeartbeatIntervalSeconds { get; set; } = 1;
        /// <summary>
        /// Heartbeat pause after which Akka marks a member unreachable. Unreachability alone fails no rank (a busy
        /// observer is late too): it only lets the coordinator down members that hold no rank of the running generation.
        /// </summary>
        [ConfigurationKeyName("acceptable_heartbeat_pause_s")] public double AcceptableHeartbeatPauseSeconds { get; set; } = 10;
        [ConfigurationKeyName("retry_gate_closed_for_s")] public double RetryGateClosedForSeconds { get; set; } = 1;
        [ConfigurationKeyName("seed_node_timeout_s")] public double SeedNodeTimeoutSeconds { get; set; } = 2;
        [ConfigurationKeyName("retry_unsuccessful_join_after_s")] public double RetryUnsuccessfulJoinAfterSeconds { get; set; } = 2;
    }

    public sealed class TlsSection
    {
        [ConfigurationKeyName("enabled")] public bool Enabled { get; set; }
        /// <summary>PKCS#12 (.pfx) file holding the shared certificate and its private key.</summary>
        [ConfigurationKeyName("certificate_path")] public string CertificatePath { get; set; } = "";
        /// <summary>Name of the environment variable holding the certificate's password (never the password itself).</summary>
        [ConfigurationKeyName("certificate_password_env")] public string CertificatePasswordEnv { get; set; } = "GENEFORMER_CERT_PASSWORD";
        /// <summary>Skip chain validation (a self-signed shared certificate); false: a peer's certificate must chain to a trusted CA.</summary>
        [ConfigurationKeyName("suppress_validation")] public bool SuppressValidation { get; set; } = true;
        /// <summary>Accept a peer only if it presents this member's own certificate (the cluster's shared one).</summary>
        [ConfigurationKeyName("pin_certificate")] public bool PinCertificate { get; set; } = true;
    }

    public sealed class StatusSection
    {
        [ConfigurationKeyName("bind")] public string Bind { get; set; } = "0.0.0.0";
        [ConfigurationKeyName("port")] public int Port { get; set; } = 8080;
        /// <summary>How often every worker reports (its heartbeat).</summary>
        [ConfigurationKeyName("report_interval_s")] public double ReportIntervalSeconds { get; set; } = 2;
        /// <summary>A worker whose last report is older than this is shown stale.</summary>
        [ConfigurationKeyName("stale_after_s")] public double StaleAfterSeconds { get; set; } = 6;
        /// <summary>Points kept for the loss and throughput curves.</summary>
        [ConfigurationKeyName("history_points")] public int HistoryPoints { get; set; } = 2000;
    }

    public sealed class JobSection
    {
        /// <summary>
        /// Start-up of a generation: from the launch (or the first registration) until every rank trains. Joining,
        /// loading, the shard check and the collectives' init must fit; silence is not failure before a rank trains.
        /// </summary>
        [ConfigurationKeyName("startup_timeout_s")] public double StartupTimeoutSeconds { get; set; } = 600;
        /// <summary>
        /// A training rank with no report for this long is hung: the job is aborted and restarted. A worker that hears
        /// nothing from the coordinator for this long aborts itself (the coordinator died or is cut off).
        /// </summary>
        [ConfigurationKeyName("heartbeat_timeout_s")] public double HeartbeatTimeoutSeconds { get; set; } = 30;
        /// <summary>A worker that reports but makes no progress (no step, phase change or commit) for this long is hung too.</summary>
        [ConfigurationKeyName("progress_timeout_s")] public double ProgressTimeoutSeconds { get; set; } = 1800;
        [ConfigurationKeyName("max_restarts")] public int MaxRestarts { get; set; } = 3;
        /// <summary>How long a rank waits for the coordinator to commit a checkpoint it wrote its part of.</summary>
        [ConfigurationKeyName("commit_timeout_s")] public double CommitTimeoutSeconds { get; set; } = 1800;
        /// <summary>After SIGUSR1/SIGTERM, how long the coordinator waits for the final checkpoint before exiting 75 anyway.</summary>
        [ConfigurationKeyName("preempt_timeout_s")] public double PreemptTimeoutSeconds { get; set; } = 600;
        /// <summary>
        /// Nice value (0-19) of each rank's training threads, below its control plane's (reports, heartbeats) and the
        /// coordinator's: on a node with more busy threads than cores, those are scheduled first. 0 leaves priorities alone.
        /// </summary>
        [ConfigurationKeyName("training_nice")] public int TrainingNice { get; set; } = 10;
        /// <summary>How long an aborted rank process waits for its training thread before exiting.</summary>
        [ConfigurationKeyName("abort_grace_s")] public double AbortGraceSeconds { get; set; } = 5;
    }

    public void Validate(string source)
    {
        var check = new Geneformer.Common.ConfigCheck(source);
        check.Require(!string.IsNullOrWhiteSpace(Remote.SystemName), "remote.system_name", Remote.SystemName, "a name");
        check.Require(Remote.CoordinatorPort is > 0 and < 65536, "remote.coordinator_port", Remote.CoordinatorPort, "a TCP port");
        check.Require(Status.Port is >= 0 and < 65536, "status.port", Status.Port, "a TCP port (0: any free port)");
        check.Require(Status.ReportIntervalSeconds > 0, "status.report_interval_s", Status.ReportIntervalSeconds, "a positive number");
        check.Require(Job.HeartbeatTimeoutSeconds > Status.ReportIntervalSeconds, "job.heartbeat_timeout_s", Job.HeartbeatTimeoutSeconds, $"more than status.report_interval_s ({Status.ReportIntervalSeconds})");
        check.Require(Job.StartupTimeoutSeconds > 0, "job.startup_timeout_s", Job.StartupTimeoutSeconds, "a positive number of seconds");
        check.Require(Job.TrainingNice is >= 0 and <= 19, "job.training_nice", Job.TrainingNice, "a nice value from 0 to 19");
        check.Require(Job.MaxRestarts >= 0, "job.max_restarts", Job.MaxRestarts, "0 or more");
        check.Require(FailureDetector.AcceptableHeartbeatPauseSeconds > FailureDetector.HeartbeatIntervalSeconds, "failure_detector.acceptable_heartbeat_pause_s",
            FailureDetector.AcceptableHeartbeatPauseSeconds, "more than heartbeat_interval_s");
        foreach (var seed in Remote.SeedNodes) SeedNode.Parse(seed, source);
        if (Tls.Enabled)
        {
            check.Require(File.Exists(Tls.CertificatePath), "tls.certificate_path", Tls.CertificatePath == "" ? "empty" : Tls.CertificatePath, "an existing .pfx file");
            check.Require(Tls.PinCertificate || !Tls.SuppressValidation, "tls.pin_certificate", "false",
                "true while tls.suppress_validation is true (with neither, any certificate would be accepted)");
        }
    }
}
