using Geneformer.Common.Logging;
using Geneformer.Data.Corpus;
using Geneformer.Distributed.Cluster;
using Geneformer.Collectives;
using Geneformer.Collectives.Nccl;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Distributed.Launch;

/// <summary>Runs this process as one training rank: alone, under an MPI launcher, or as a member of a coordinator's cluster.</summary>
public static class RankRunner
{
    /// <summary>Without a coordinator: the trainer commits its own checkpoints (rank 0 after a barrier).</summary>
    public static int RunPlain(PretrainRequest req)
    {
        var config = ForThisRank(req.Config);
        var device = TorchRuntime.ResolveDevice(config.Device);
        using var job = RankedJob.Start(CollectivesFactory.Create(device.type));
        return job.Run(() =>
        {
            CheckSameDevice(job.Collectives, device);
            var (data, reader) = CorpusTrainingData.Open(req.Corpus);
            using var _ = reader;
            VerifyShards(reader, job.Collectives.Rank, job.Collectives.WorldSize);
            using var stop = StopSignal.ListenToProcessSignals(req.StopAfterStep);
            LogContext.Rank = job.Collectives.Rank;
            var progress = RankConsole.ProgressFor(job.Collectives.Rank);
            using var trainer = new Trainer(config, req.Model, data, new CheckpointStore(req.Checkpoints), job.Collectives, progress ?? Console.Out, stop, req.Metrics)
            {
                Dump = req.Dump, InitialWeights = req.InitFrom, Progress = progress,
            };
            return trainer.Run(ResumeFrom.Parse(req.Resume, req.ResumeFrom)).ExitCode;
        });
    }

    /// <summary>
    /// As a cluster member: join the coordinator, register, wait for the start order (which names the checkpoint
    /// to resume from), train reporting progress, and let the coordinator commit checkpoints.
    /// </summary>
    public static int RunInCluster(PretrainRequest req, SeedNode coordinator, ClusterSettings settings)
    {
        if (req.Resume != "auto")
            throw new ArgumentException($"--resume {req.Resume}: with a coordinator, the coordinator picks the checkpoint (the newest that verifies); leave --resume at auto");
        if (req.ResumeFrom is { } seed)
            throw new ArgumentException($"--resume-from {seed}: with a coordinator, the coordinator picks the checkpoint; give --resume-from to the coordinator (pretrain --local and submit do)");
        var config = ForThisRank(req.Config);
        var device = TorchRuntime.ResolveDevice(config.Device);
        var backend = CollectivesFactory.Choose(device.type, underCoordinator: true);
        // MPI (CPU) starts before joining: it says which rank this is. NCCL under the coordinator starts from the
        // start order, which carries rank 0's id; the launcher's variables say which rank this is.
        using var job = RankedJob.Start(backend == CollectivesBackend.NcclOverCoordinator ? null : CollectivesFactory.Create(backend));
        var placement = backend == CollectivesBackend.NcclOverCoordinator
            ? LaunchEnvironment.Placement()
            : new RankPlacement(job.Collectives.Rank, job.Collectives.WorldSize, LaunchEnvironment.LocalRank() ?? 0);
        return job.Run(() =>
        {
            var (data, reader) = CorpusTrainingData.Open(req.Corpus);
            using var _ = reader;
            using var stop = StopSignal.ListenToProcessSignals(req.StopAfterStep);
            var identity = new WorkerIdentity(LaunchEnvironment.NodeName(), placement.Rank, placement.LocalRank, device.ToString(), Environment.ProcessId);
            (LogContext.Rank, LogContext.Node) = (placement.Rank, identity.Node);
            var jobSettings = new JobSettings(config.GlobalBatch, config.MicroBatch, config.Seed, config.MaxSteps, config.KeepLast, config.LengthGrouping)
            {
                PackedTokens = config.Batching(config.MaxLengthFor(req.Model)).PackedTokens,
            };
            var options = new ClusterRankOptions(settings, [coordinator], identity, jobSettings, data.Train.Count)
            {
                NcclUniqueId = backend == CollectivesBackend.NcclOverCoordinator && placement.Rank == 0 ? NcclCollectives.NewUniqueId().ToBase64() : null,
                Stop = stop,
                ExitProcessOnAbort = AbortedExitCode,
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Error,
                DeviceMemory = ProcessMemoryReporter,
            };
            var cluster = ClusterRank.JoinAsync(options).GetAwaiter().GetResult();
            TrainingPriority.LowerCurrentThread(settings.Job.TrainingNice); // the member's threads keep theirs
            try
            {
                var start = cluster.AwaitStartAsync(cluster.Aborted).GetAwaiter().GetResult();
                LogContext.Generation = start.Generation;
                VerifyShards(reader, placement.Rank, start.WorldSize);
                var collectives = job.Join(() => CollectivesFactory.NcclFromStartOrder(start.NcclUniqueId, start.WorldSize, placement));
                CheckSameDevice(collectives, device);
                var resume = start.ResumeCheckpoint is { } dir ? new ResumeFrom.Directory(dir) : (ResumeFrom)new ResumeFrom.Scratch();
                var progress = RankConsole.ProgressFor(placement.Rank);
                using var trainer = new Trainer(config, req.Model, data, new CheckpointStore(req.Checkpoints), collectives, progress ?? Console.Out, stop, req.Metrics, cluster.Observer, cluster.Committer)
                {
                    Dump = req.Dump, InitialWeights = req.InitFrom, Progress = progress,
                };
                return trainer.Run(resume).ExitCode;
            }
            catch (Exception) when (cluster.Aborted.IsCancellationRequested)
            {
                // Whatever broke once the coordinator aborted the job (a wait cancelled, a collective whose peer left) is its consequence.
                Console.Error.WriteLine($"rank {placement.Rank}: aborted ({cluster.AbortReason})");
                job.Abandon(); // the failed peer may be hung: finalizing would wait on it for ever
                return AbortedExitCode;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                cluster.Fail(e.Message, PermanentFailure.Is(e));
                throw;
            }
            finally
            {
                cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }

    /// <summary>
    /// Checks this rank's share of the corpus shards against the manifest's SHA-256 before any is read: the ranks split
    /// the shards between them, so a job reads its corpus once per start. A damaged shard stops the job.
    /// </summary>
    private static void VerifyShards(CorpusReader reader, int rank, int worldSize)
    {
        var verified = reader.VerifyShards(rank, worldSize);
        verified.ThrowIfDamaged();
        if (rank == 0) Console.WriteLine($"corpus shards verified: rank 0's share of {worldSize}, {verified.Describe()}");
    }

    /// <summary>NCCL reads gradients on its communicator's GPU: the model must be on the same one.</summary>
    private static void CheckSameDevice(ICollectives collectives, Device model)
    {
        if (collectives is NcclCollectives nccl && (model.type != DeviceType.CUDA || model.index != nccl.DeviceIndex))
            throw new InvalidOperationException($"the model is on {model} but NCCL's communicator on cuda:{nccl.DeviceIndex} (the local rank's GPU): set device to cuda (each rank then uses cuda:LOCAL_RANK) or make them agree");
    }

    /// <summary>
    /// Memory reported in status: this process's resident memory. TorchSharp exposes no CUDA allocator
    /// statistics, so on GPUs this is host memory, not device memory.
    /// </summary>
    private static long? ProcessMemoryReporter()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    /// <summary>Exit code of a rank the coordinator aborted (another rank failed); the launcher relaunches.</summary>
    public const int AbortedExitCode = 76;

    /// <summary>Under a launcher, "cuda" means this rank's own GPU: cuda:LOCAL_RANK.</summary>
    private static TrainingConfig ForThisRank(TrainingConfig c) =>
        c.Device is "cuda" or "auto" && LaunchEnvironment.LocalRank() is { } local && TorchRuntime.ResolveDevice(c.Device).type == DeviceType.CUDA
            ? c with { Device = $"cuda:{local}" }
            : c;
}
