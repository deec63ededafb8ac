using Geneformer.Distributed.Cluster;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Bench.ControlPlane;

/// <summary>
/// The trainer's control flow without tensors, against a real <see cref="ClusterRank"/>: fixed-pace steps reported to
/// the observer, flags summed over ranks before acting (as the trainer does), staged checkpoint parts handed to the
/// committer, stop at a boundary with exit 75, and an immediate return on abort. The control-plane benchmark runs
/// many as simulated ranks; the cluster tests run them as ranks.
/// </summary>
public sealed class SimulatedTrainingLoop(ClusterRank cluster, StartOrder order, int rank, string checkpointRoot, long checkpointEvery, TimeSpan stepTime,
    Func<double[], double[]> allReduceSum)
{
    public const int Aborted = 76;
    /// <summary>What a simulated step computes, for the figures it reports: real tokens, FLOPs per token, and the device peak.</summary>
    private const double TokensPerStep = 1000, FlopsPerToken = 6e9, PeakTflops = 100;

    /// <summary>One checkpoint of this rank: when its part was handed to the coordinator and when the commit came back.</summary>
    public sealed record CommitTiming(long Step, DateTimeOffset PartWritten, DateTimeOffset Committed);

    public List<CommitTiming> Commits { get; } = [];

    /// <summary>Called on the training thread once each checkpoint of this rank is committed.</summary>
    public Action<CommitTiming>? OnCommitted { get; init; }

    /// <summary>A validation loss every this many steps (0: none), as the trainer's eval_every.</summary>
    public long ValidationEvery { get; init; }

    public int Run()
    {
        var store = new CheckpointStore(checkpointRoot);
        var observer = cluster.Observer;
        var stop = cluster.Stop;
        observer.OnPhase(TrainingPhase.Loading);
        observer.OnPhase(TrainingPhase.Training);
        try
        {
            (double Loss, long Step)? validation = null;
            for (var step = order.ResumeStep; step < order.Plan.MaxSteps;)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                if (cluster.Aborted.WaitHandle.WaitOne(stepTime)) return Aborted;
                var computed = clock.Elapsed.TotalSeconds;
                var flags = allReduceSum([stop.Requested ? 1 : 0, stop.TakeCheckpointRequest() ? 1 : 0]);
                var seconds = clock.Elapsed.TotalSeconds;
                step++;
                var tflops = TokensPerStep * FlopsPerToken / seconds / 1e12;
                observer.OnStep(new StepProgress(step, Loss: 10.0 / (1 + 0.1 * step), LearningRate: 1e-3, TokensPerSecond: 1000 + rank, StepSeconds: seconds, ValidationLoss: validation?.Loss)
                {
                    Times = new StepTimes(seconds, 0, computed, seconds - computed), Rank = new RankThroughput(TokensPerStep / seconds, tflops, tflops / PeakTflops),
                    ValidationStep = validation?.Step,
                });
                if (ValidationEvery > 0 && step % ValidationEvery == 0) validation = (10.5 / (1 + 0.1 * step), step);
                var stopping = stop.ShouldStopAfter(step, flags[0] > 0) && step < order.Plan.MaxSteps;
                if (step % checkpointEvery == 0 || step == order.Plan.MaxSteps || stopping || flags[1] > 0)
                {
                    observer.OnPhase(TrainingPhase.Checkpointing);
                    var part = CheckpointLayout.RankPartPath(store.StagingPath(step), rank);
                    Directory.CreateDirectory(Path.GetDirectoryName(part)!);
                    File.WriteAllText(part, new RankPart(rank, step, step * 16, "same-weights-on-every-rank").ToJson());
                    var written = DateTimeOffset.UtcNow;
                    cluster.Committer.PartWritten(step, rank);
                    var timing = new CommitTiming(step, written, DateTimeOffset.UtcNow);
                    Commits.Add(timing);
                    OnCommitted?.Invoke(timing);
                    observer.OnCheckpointCommitted(step, store.PathOf(step));
                    observer.OnPhase(TrainingPhase.Training);
                }
                if (stopping)
                {
                    observer.OnPhase(TrainingPhase.Stopped);
                    return TrainerExit.Preempted;
                }
            }
        }
        catch (OperationCanceledException) when (cluster.Aborted.IsCancellationRequested)
        {
            return Aborted;
        }
        observer.OnPhase(TrainingPhase.Stopped);
        return TrainerExit.Completed;
    }
}
