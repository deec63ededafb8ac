using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

// Every message between the coordinator and the workers. Immutable; arrays (not lists) so they serialize
// the same way everywhere. A "generation" is one rendezvous: it grows by one after every abort.

/// <summary>Who a rank process is, as shown in status.</summary>
public sealed record WorkerIdentity(string Node, int Rank, int LocalRank, string Device, int Pid);

/// <summary>The training settings every rank must agree on (from the training config); the coordinator refuses a rank that disagrees.</summary>
public sealed record JobSettings(long GlobalBatch, int MicroBatch, long Seed, long MaxSteps, int KeepLast, bool LengthGrouping = true)
{
    /// <summary>Tokens of a packed micro batch; 0 when micro batches are padded.</summary>
    public int PackedTokens { get; init; }
}

/// <summary>Worker → coordinator. Rank 0 carries the NCCL unique id (base64) when its backend needs one; <paramref name="TrainCells"/> is the train-split size the rank sees.</summary>
public sealed record RegisterWorker(WorkerIdentity Identity, JobSettings Settings, long TrainCells, string? NcclUniqueId)
{
    /// <summary>The process hosting the rank's node agent (the node's cluster member), set by the agent.</summary>
    public int AgentPid { get; init; }
}

public sealed record WorkerRegistered(int Generation, int Rank, int Registered, int WorldSize);

public sealed record RegistrationRefused(int Rank, string Reason);

/// <summary>One epoch of the data plan: how many cells of that epoch each rank reads (index = rank).</summary>
public sealed record EpochShare(long Epoch, long[] CellsPerRank);

/// <summary>
/// A description of the trainer's deterministic order (<see cref="Geneformer.Data.Loading.GlobalSampleOrder"/>):
/// which stream positions each rank reads from <paramref name="FirstStep"/> to <paramref name="MaxSteps"/>, per epoch,
/// and a checksum every rank recomputes to prove it derives the same plan. With <paramref name="LengthGrouped"/>, a
/// step's cells are dealt to ranks by length (<see cref="Geneformer.Data.Loading.StepSamples"/>): each rank still reads
/// G/world cells a step and each step the same cells, but at a step that spans two epochs the epoch shares count slots.
/// With <see cref="PackedTokens"/>, a step's cells are packed by length (<see cref="Geneformer.Data.Loading.PackedStepSamples"/>):
/// each step still reads the same cells, ranks read nearly equal token counts rather than equal cell counts, and the
/// epoch shares count the slots of the unpacked dealing.
/// </summary>
public sealed record DataPlan(long TrainCells, long GlobalBatch, int MicroBatch, int WorldSize, long Seed, long FirstStep, long MaxSteps, bool LengthGrouped, EpochShare[] Epochs, string Checksum)
{
    public int PackedTokens { get; init; }

    /// <summary>
    /// The plan as the start order carries it: its parameters and checksum without the shares, which every rank counts
    /// itself (<see cref="DataPlanner.Verify"/>). The shares of a long job on a thousand ranks run to megabytes a copy.
    /// </summary>
    public DataPlan Summary() => this with { Epochs = [] };
}

/// <summary>Coordinator → every worker once the world has registered. <paramref name="Plan"/> is the plan's <see cref="DataPlan.Summary"/>.</summary>
public sealed record StartOrder(int Generation, int WorldSize, string? ResumeCheckpoint, long ResumeStep, string? NcclUniqueId, DataPlan Plan);

/// <summary>Worker → coordinator every report interval and on each phase change. Also the heartbeat.</summary>
public sealed record WorkerReport(
    int Generation, int Rank, TrainingPhase Phase, long Step, double? Loss, double? TokensPerSecond, long? DeviceMemoryBytes,
    long? LastCommittedStep, string? Error, DateTimeOffset LastProgressAt)
{
    /// <summary>The step <see cref="Loss"/> was read at: the trainer reads it only at logged steps.</summary>
    public long? LossStep { get; init; }

    /// <summary>The rank failed with an error a restart would meet again (damaged data, a full disk): the job stops.</summary>
    public bool ErrorIsPermanent { get; init; }

    /// <summary>The rank's own figures of its latest step.</summary>
    public RankStepFigures? Figures { get; init; }

    /// <summary>The latest validation loss (rank 0), and the step it was measured at.</summary>
    public double? ValidationLoss { get; init; }
    public long? ValidationStep { get; init; }
}

/// <summary>
/// One rank's figures over its latest steps (each the median of the last few): its step's wall time, the part of it
/// spent computing (a straggler spends more, the others wait for it in the all-reduce), and its own tokens/s, TFLOPS and MFU.
/// </summary>
public sealed record RankStepFigures(double StepSeconds, double ComputeSeconds, double TokensPerSecond, double Tflops, double Mfu);

/// <summary>Worker → coordinator: this rank's part of the staged checkpoint of <paramref name="Step"/> is written. Resent until answered.</summary>
public sealed record PartWritten(int Generation, long Step, int Rank);

/// <summary>
/// Coordinator → worker, in answer to each report: the coordinator is alive and sees this rank. A worker that hears
/// nothing from the coordinator for <c>job.heartbeat_timeout_s</c> aborts (the coordinator died or is cut off).
/// </summary>
public sealed record ReportAcknowledged(int Generation);

/// <summary>Coordinator → every worker: the checkpoint of <paramref name="Step"/> is committed.</summary>
public sealed record CheckpointCommitted(long Step, string Path);

/// <summary>Coordinator → every worker: the checkpoint of <paramref name="Step"/> could not be committed.</summary>
public sealed record CheckpointRefused(long Step, string Reason);

/// <summary>To the coordinator (from a cluster member or the coordinator's own SIGUSR2), then coordinator → workers: checkpoint at the next step boundary and go on.</summary>
public sealed record CheckpointNow(string Reason);

/// <summary>Coordinator → workers: checkpoint at the next step boundary, then stop for requeue (exit 75).</summary>
public sealed record StopAtBoundary(string Reason);

/// <summary>Coordinator → workers: stop at once without checkpointing; the job restarts from the last committed checkpoint.</summary>
public sealed record AbortTraining(int Generation, string Reason);

/// <summary>Coordinator host → coordinator: the job is being preempted (SIGUSR1/SIGTERM): final checkpoint, then exit 75.</summary>
public sealed record Preempt(string Reason);

/// <summary>
/// Relaunch loop → coordinator: the rank processes of a launch were started. Arms the start-up deadline of the
/// generation now open; the answer is that generation (<see cref="LaunchAccepted"/>).
/// </summary>
public sealed record RanksLaunched
{
    public static readonly RanksLaunched Instance = new();
}

public sealed record LaunchAccepted(int Generation, int Restarts, int MaxRestarts);

/// <summary>
/// Relaunch loop → coordinator: every process of the launch made for <paramref name="Generation"/> has exited, with
/// <paramref name="ExitCode"/>. A rank's death is known from its exit at once, not from missed heartbeats: unless the
/// job has ended (or that generation already failed), the coordinator fails the generation now. The answer is a
/// <see cref="LaunchVerdict"/>.
/// </summary>
public sealed record LaunchEnded(int Generation, int ExitCode);

/// <summary>Coordinator → relaunch loop: start the ranks again for <paramref name="Generation"/>, or (Relaunch false) the job has ended.</summary>
public sealed record LaunchVerdict(bool Relaunch, int Generation);

/// <summary>Local query of the coordinator's state (HTTP status endpoints).</summary>
public sealed record GetJobStatus
{
    public static readonly GetJobStatus Instance = new();
}

public enum JobPhase { Rendezvous, Starting, Running, Preempting, Completed, Preempted, Failed }

/// <summary>One point of the loss and throughput curves (rank 0's loss, tokens/s summed over ranks), when the coordinator heard of it.</summary>
public sealed record StepPoint(long Step, double Loss, double TokensPerSecond)
{
    public DateTimeOffset Time { get; init; }
    /// <summary>The rank that computed longest at that moment (the one the others wait for), when more than one rank reported.</summary>
    public int? SlowestRank { get; init; }
}

/// <summary>One point of the validation curve.</summary>
public sealed record ValidationPoint(long Step, double Loss);

/// <summary>One restart of the job: the generation it opened, when, and why the one before failed.</summary>
public sealed record RestartRecord(int Generation, DateTimeOffset Time, string Cause);

public sealed record WorkerStatus(
    WorkerIdentity Identity, TrainingPhase Phase, long Step, double? Loss, double? TokensPerSecond, long? DeviceMemoryBytes,
    long? LastCommittedStep, string? Error, double HeartbeatAgeSeconds, bool Stale)
{
    /// <summary>The longest silence between two of the rank's reports since it began training (how close it came to the heartbeat timeout).</summary>
    public double MaxHeartbeatGapSeconds { get; init; }
    /// <summary>The process hosting the rank's node agent: the node's cluster member.</summary>
    public int AgentPid { get; init; }
    public RankStepFigures? Figures { get; init; }
    /// <summary>The rank computes markedly longer than the others (<see cref="Stragglers"/>): the job runs at its pace.</summary>
    public bool Straggler { get; init; }
}

public sealed record JobStatus(
    int WorldSize, JobPhase Phase, int Generation, int Restarts, int MaxRestarts, string? LastFailure, string? SlurmRestartCount,
    long? LastCommittedStep, string? LastCommittedPath, string? ResumeCheckpoint, WorkerStatus[] Workers, StepPoint[] History, DateTimeOffset Now)
{
    /// <summary>Worker reports (heartbeats) the coordinator has handled since it started.</summary>
    public long ReportsReceived { get; init; }
    public long? MaxSteps { get; init; }
    /// <summary>Seconds to max_steps at the recent pace (<see cref="JobEta"/>); null until there is a pace to go by.</summary>
    public double? EtaSeconds { get; init; }
    public DateTimeOffset? LastCommittedTime { get; init; }
    public RestartRecord[] RestartHistory { get; init; } = [];
    public ValidationPoint[] Validation { get; init; } = [];
    /// <summary>The rank that computes longest (<see cref="Stragglers"/>); null with fewer than two ranks' figures.</summary>
    public int? SlowestRank { get; init; }
    /// <summary>The job's step: the lowest of its workers', else the last committed one.</summary>
    public long? Step { get; init; }
}

/// <summary>How the coordinator process ends: 0 completed, 75 preempted (requeue), 1 failed for good.</summary>
public sealed record JobOutcome(int ExitCode, string Reason);
