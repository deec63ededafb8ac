using System.Globalization;
using System.Text;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Status;

/// <summary>The status as Prometheus text exposition format 0.0.4 (<c>/metrics</c>).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(StatusDocument s)
    {
        var text = new StringBuilder();
        void Metric(string name, string help, IEnumerable<(string Labels, double? Value)> samples, string type = "gauge")
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
                if (value is { } v) text.Append(name).Append(labels).Append(' ').Append(Number(v)).Append('\n');
        }
        var job = s.Job;
        Metric("geneformer_job_world_size", "Ranks the job trains with.", [("", job.WorldSize)]);
        Metric("geneformer_job_registered_workers", "Ranks registered in the current generation.", [("", job.RegisteredWorkers)]);
        Metric("geneformer_job_restarts", "Restarts after a failed rank.", [("", job.Restarts)]);
        Metric("geneformer_job_generation", "Rendezvous generation (grows by one per restart).", [("", job.Generation)]);
        Metric("geneformer_job_phase", "1 for the job's current phase.",
            Enum.GetNames<JobPhase>().Select(p => ($"{{phase=\"{p.ToLowerInvariant()}\"}}", (double?)(p.Equals(job.Phase, StringComparison.OrdinalIgnoreCase) ? 1 : 0))));
        Metric("geneformer_job_last_committed_step", "Step of the last committed checkpoint.", [("", job.LastCommittedStep)]);
        Metric("geneformer_job_step", "The step every rank has reached.", [("", job.Step)]);
        Metric("geneformer_job_max_steps", "The job's last step.", [("", job.MaxSteps)]);
        Metric("geneformer_job_eta_seconds", "Seconds to the last step at the recent pace.", [("", job.EtaSeconds)]);
        Metric("geneformer_job_last_committed_age_seconds", "Seconds since the last checkpoint was committed.", [("", job.LastCommittedAgeSeconds)]);
        Metric("geneformer_job_tokens_per_second", "Real tokens per second over all ranks.", [("", job.TokensPerSecond)]);
        Metric("geneformer_job_mfu", "Model FLOPs utilisation, the ranks' mean.", [("", job.Mfu)]);
        Metric("geneformer_job_straggler", "1 when a rank computes markedly longer than the others.", [("", job.Straggler ? 1 : 0)]);
        Metric("geneformer_job_reports_total", "Worker reports (heartbeats) the coordinator has handled.", [("", job.ReportsReceived)], "counter");
        IEnumerable<(string, double?)> PerWorker(Func<WorkerDocument, double?> value) =>
            s.Workers.Select(w => ($"{{rank=\"{w.Rank}\",node=\"{Escape(w.Node)}\",local_rank=\"{w.LocalRank}\"}}", value(w)));
        Metric("geneformer_worker_step", "Last step the rank completed.", PerWorker(w => w.Step));
        Metric("geneformer_worker_loss", "Training loss at the rank's last step.", PerWorker(w => w.Loss));
        Metric("geneformer_worker_tokens_per_second", "Tokens per second on the rank.", PerWorker(w => w.TokensPerSecond));
        Metric("geneformer_worker_mfu", "Model FLOPs utilisation of the rank.", PerWorker(w => w.Mfu));
        Metric("geneformer_worker_compute_seconds", "Compute time of the rank's recent steps (median).", PerWorker(w => w.ComputeSeconds));
        Metric("geneformer_worker_straggler", "1 for the rank the others wait for, when it is a straggler.", PerWorker(w => w.Straggler ? 1 : 0));
        Metric("geneformer_worker_device_memory_bytes", "Device memory in use on the rank.", PerWorker(w => w.DeviceMemoryBytes));
        Metric("geneformer_worker_heartbeat_age_seconds", "Seconds since the rank's last report.", PerWorker(w => w.HeartbeatAgeSeconds));
        Metric("geneformer_worker_stale", "1 when the rank's last report is older than the stale limit.", PerWorker(w => w.Stale ? 1 : 0));
        return text.ToString();
    }

    private static string Number(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string label) => label.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
