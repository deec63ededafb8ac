using System.Text.Json;
using Geneformer.TestSupport;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>One pretraining run's files: checkpoints, metrics.jsonl, and the Slurm log the batch script writes there.</summary>
public sealed class TrainingRun(string checkpoints)
{
    public string Checkpoints { get; } = checkpoints;

    public string Log(string jobId)
    {
        var path = Path.Combine(Checkpoints, $"slurm-{jobId}.out");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    /// <summary>Step of the checkpoint that <c>latest</c> names (0 when none is committed yet).</summary>
    public long LatestCheckpoint()
    {
        try
        {
            return new CheckpointStore(Checkpoints).LatestPointer() ?? 0;
        }
        catch (IOException)
        {
            return 0; // being replaced right now
        }
    }

    /// <summary>The steps of the training-loss lines of metrics.jsonl, in file order (resumed runs append).</summary>
    public List<long> MetricSteps()
    {
        var path = Path.Combine(Checkpoints, "metrics.jsonl");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var steps = new List<long>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.EndsWith('}')) continue; // a line being written
            var o = JsonDocument.Parse(line).RootElement;
            if (o.TryGetProperty("loss", out _)) steps.Add(o.GetProperty("step").GetInt64());
        }
        return steps;
    }

    /// <summary>`geneformer checkpoints verify`: every checkpoint's files match its manifest.</summary>
    public ProcessResult Verify() => GeneformerProcess.Run("checkpoints", "verify", Checkpoints);
}
