using System.Text.Json;
using System.Text.Json.Serialization;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Status;

/// <summary>The JSON of <c>/api/status</c> (snake_case), also read back by <c>geneformer status</c>.</summary>
public sealed record StatusDocument(JobDocument Job, WorkerDocument[] Workers, StepPoint[] History)
{
    /// <summary>The validation loss curve (rank 0's evaluations).</summary>
    public ValidationPoint[] Validation { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static StatusDocument From(JobStatus s)
    {
        var figures = s.Workers.Select(w => w.Figures).OfType<RankStepFigures>().ToList();
        var job = new JobDocument(s.WorldSize, s.Phase.ToString().ToLowerInvariant(), s.Generation, s.Restarts, s.MaxRestarts, s.LastFailure, s.SlurmRestartCount,
            s.LastCommittedStep, s.LastCommittedPath, s.ResumeCheckpoint, s.Workers.Length, s.Now)
        {
            ReportsReceived = s.ReportsReceived, MaxSteps = s.MaxSteps, EtaSeconds = Round(s.EtaSeconds),
            Step = s.Step,
            LastCommittedAgeSeconds = s.LastCommittedTime is { } t ? Math.Round((s.Now - t).TotalSeconds, 1) : null,
            RestartHistory = s.RestartHistory,
            TokensPerSecond = figures.Count > 0 ? Math.Round(figures.Sum(f => f.TokensPerSecond), 1) : null,
            Tflops = figures.Count > 0 ? figures.Sum(f => f.Tflops) : null,
            Mfu = figures.Count > 0 ? figures.Average(f => f.Mfu) : null,
            SlowestRank = s.SlowestRank, Straggler = s.Workers.Any(w => w.Straggler),
        };
        var workers = s.Workers.Select(w => new WorkerDocument(w.Identity.Node, w.Identity.Rank, w.Identity.LocalRank, w.Identity.Device, w.Identity.Pid,
            w.Phase.ToString().ToLowerInvariant(), w.Step, w.Loss, w.Figures?.TokensPerSecond ?? w.TokensPerSecond, w.DeviceMemoryBytes, w.LastCommittedStep, w.Error,
            Math.Round(w.HeartbeatAgeSeconds, 2), w.Stale)
        {
            MaxHeartbeatGapSeconds = Math.Round(w.MaxHeartbeatGapSeconds, 2), AgentPid = w.AgentPid, StepSeconds = w.Figures?.StepSeconds,
            ComputeSeconds = w.Figures?.ComputeSeconds, Tflops = w.Figures?.Tflops, Mfu = w.Figures?.Mfu, Straggler = w.Straggler,
        }).ToArray();
        return new StatusDocument(job, workers, s.History) { Validation = s.Validation };
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 1) : null;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StatusDocument Parse(string json, string source) =>
        JsonSerializer.Deserialize<StatusDocument>(json, Json) ?? throw new InvalidDataException($"{source}: empty status document");
}
