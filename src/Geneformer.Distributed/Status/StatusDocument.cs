using System.Text.Json;
using System.Text.Json.Serialization;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Status;

/// <summary>The JSON of <c>/api/status</c> (snake_case), also read back by <c>geneformer status</c>.</summary>
public sealed record StatusDocument(JobDocument Job, WorkerDocument[] Workers, StepPoint[] History)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static StatusDocument From(JobStatus s) => new(
        new JobDocument(s.WorldSize, s.Phase.ToString().ToLowerInvariant(), s.Generation, s.Restarts, s.MaxRestarts, s.LastFailure, s.SlurmRestartCount,
            s.LastCommittedStep, s.LastCommittedPath, s.ResumeCheckpoint, s.Workers.Length, s.Now) { ReportsReceived = s.ReportsReceived },
        s.Workers.Select(w => new WorkerDocument(w.Identity.Node, w.Identity.Rank, w.Identity.LocalRank, w.Identity.Device, w.Identity.Pid,
            w.Phase.ToString().ToLowerInvariant(), w.Step, w.Loss, w.TokensPerSecond, w.DeviceMemoryBytes, w.LastCommittedStep, w.Error,
            Math.Round(w.HeartbeatAgeSeconds, 2), w.Stale) { MaxHeartbeatGapSeconds = Math.Round(w.MaxHeartbeatGapSeconds, 2), AgentPid = w.AgentPid }).ToArray(),
        s.History);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StatusDocument Parse(string json, string source) =>
        JsonSerializer.Deserialize<StatusDocument>(json, Json) ?? throw new InvalidDataException($"{source}: empty status document");
}
