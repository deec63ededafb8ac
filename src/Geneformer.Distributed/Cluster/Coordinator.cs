using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The cluster singleton that runs the job: rendezvous of the ranks, start order (resume checkpoint, NCCL id,
/// data plan), checkpoint commits once every rank's part is written, failure detection (process gone,
/// unreachable, no heartbeat) with abort and a new rendezvous, preemption, and the status snapshot.
/// File-system work (finding the checkpoint to resume, committing) runs off the actor thread.
/// </summary>
public sealed class Coordinator : ReceiveActor, IWithTimers
{
    private sealed record CheckHealth;
    private sealed record PreemptTimedOut;
    private sealed record StartPrepared(int Generation, StartOrder Order, string[] Notes);
    private sealed record StartFailed(int Generation, string Reason);
    private sealed record CommitDone(int Generation, long Step, string Path, IReadOnlyList<long> Pruned);
    private sealed record CommitFailed(int Generation, long Step, string Reason);

    private readonly CoordinatorOptions options;
    private readonly ClusterSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly WorkerRoster roster = new();
    private readonly Dictionary<long, HashSet<int>> parts = [];
    private readonly HashSet<long> committing = [];
    private readonly HashSet<long> committedThisGeneration = [];
    private readonly List<StepPoint> history = [];
    private JobPhase phase = JobPhase.Rendezvous;
    private int generation = 1;
    private int restarts;
    private string? lastFailure;
    private long? lastCommittedStep;
    private string? lastCommittedPath;
    private StartOrder? order;
    private bool committedSincePreempt;
    private bool finished;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorOptions options) => Akka.Actor.Props.Create(() => new Coordinator(options));

    public Coordinator(CoordinatorOptions options)
    {
        this.options = options;
        settings = options.Settings;
        var latest = new CheckpointStore(options.CheckpointRoot).LatestPointer();
        if (latest is { } l) (lastCommittedStep, lastCommittedPath) = (l, new CheckpointStore(options.CheckpointRoot).PathOf(l));

        Receive<RegisterWorker>(Register);
        Receive<StartPrepared>(m => m.Generation == generation && phase == JobPhase.Starting, Start);
        Receive<StartFailed>(m => m.Generation == generation && phase == JobPhase.Starting, m => Fail($"could not prepare the start: {m.Reason}"));
        Receive<WorkerReport>(OnReport);
        Receive<PartWritten>(OnPartWritten);
        Receive<CommitDone>(OnCommitted);
        Receive<CommitFailed>(OnCommitFailed);
        Receive<Terminated>(OnTerminated);
        Receive<ClusterEvent.UnreachableMember>(OnUnreachable);
        Receive<CheckHealth>(_ => CheckHeartbeats());
        Receive<CheckpointNow>(OnCheckpointNow);
        Receive<Preempt>(OnPreempt);
        Receive<PreemptTimedOut>(_ => Finish(JobPhase.Preempted, TrainerExit.Preempted, $"preempted; no final checkpoint within {settings.Job.PreemptTimeoutSeconds}s (last committed: step {lastCommittedStep?.ToString() ?? "none"})"));
        Receive<GetJobStatus>(_ => Sender.Tell(Snapshot()));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
        var every = TimeSpan.FromSeconds(Math.Clamp(settings.Job.HeartbeatTimeoutSeconds / 6, 0.1, 1));
        Timers.StartPeriodicTimer("health", new CheckHealth(), every);
        log.Info("coordinator up: waiting for {0} ranks (generation {1})", options.WorldSize, generation);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Register(RegisterWorker r)
    {
        if (phase != JobPhase.Rendezvous)
        {
            // A rank of the running generation retrying its registration gets its acknowledgement again.
            if (roster.ByRef(Sender) is { } known) Sender.Tell(new WorkerRegistered(generation, known.Rank, roster.Count, options.WorldSize));
            else Sender.Tell(new RegistrationRefused(r.Identity.Rank, $"the job is {phase.ToString().ToLowerInvariant()} (generation {generation}); not accepting ranks"));
            return;
        }
        if (roster.Refusal(r, Sender, options.WorldSize, options.CorpusTrainCells) is { } why)
        {
            log.Warning("refused {0}: {1}", Sender.Path, why);
            Sender.Tell(new RegistrationRefused(r.Identity.Rank, why));
            return;
        }
        roster.Add(r, Sender, DateTimeOffset.UtcNow);
        Context.Watch(Sender);
        Sender.Tell(new WorkerRegistered(generation, r.Identity.Rank, roster.Count, options.WorldSize));
        log.Info("rank {0} registered from {1} ({2}/{3})", r.Identity.Rank, r.Identity.Node, roster.Count, options.WorldSize);
        if (roster.Count < options.WorldSize) return;

        phase = JobPhase.Starting;
        var gen = generation;
        var job = roster.ByRank(0)!.Registration;
        var (root, world, cells, initial) = (options.CheckpointRoot, options.WorldSize, options.CorpusTrainCells, options.InitialCheckpoint);
        Task.Run(() =>
        {
            var (found, skipped) = new CheckpointStore(root).FindResumable();
            var (path, first) = found is not null ? (found.Path, found.Step) : InitialCheckpoint.Resolve(initial);
            var plan = DataPlanner.Build(cells, job.Settings, world, first);
            var notes = skipped.Select(s => $"skipped checkpoint {s.Path}: {string.Join("; ", s.Problems)}").ToArray();
            return new StartPrepared(gen, new StartOrder(gen, world, path, first, job.NcclUniqueId, plan), notes);
        }).ContinueWith(t => t.IsCompletedSuccessfully ? (object)t.Result : new StartFailed(gen, t.Exception!.GetBaseException().Message)).PipeTo(Self);
    }

    private void Start(StartPrepared m)
    {
        foreach (var note in m.Notes) log.Warning(note);
        order = m.Order;
        phase = JobPhase.Running;
        var now = DateTimeOffset.UtcNow;
        foreach (var e in roster.Entries)
        {
            (e.LastHeartbeat, e.LastProgress) = (now, now);
            e.Worker.Tell(order);
        }
        log.Info("generation {0}: all {1} ranks registered; start from {2} (step {3}), plan {4}",
            generation, options.WorldSize, order.ResumeCheckpoint ?? "scratch", order.ResumeStep, order.Plan.Checksum);
    }

    private RosterEntry? Current(int messageGeneration)
    {
        if (messageGeneration != generation) return null;
        return roster.ByRef(Sender);
    }

    private void OnReport(WorkerReport r)
    {
        if (Current(r.Generation) is not { } e) return;
        var now = DateTimeOffset.UtcNow;
        var previous = e.Last;
        if (previous is null || previous.Phase != r.Phase || previous.Step != r.Step || previous.LastCommittedStep != r.LastCommittedStep)
            e.LastProgress = now;
        e.Last = r;
        e.LastHeartbeat = now;
        if (r.Rank == 0 && r.Loss is { } loss && (r.LossStep ?? r.Step) is var lossStep && (history.Count == 0 || history[^1].Step < lossStep))
        {
            history.Add(new StepPoint(lossStep, loss, roster.Entries.Sum(x => x.Last?.TokensPerSecond ?? 0)));
            if (history.Count > settings.Status.HistoryPoints) history.RemoveRange(0, history.Count - settings.Status.HistoryPoints);
        }
        if (r.Phase == TrainingPhase.Failed)
        {
            Fail($"{e.Describe()} failed: {r.Error ?? "no reason given"}", r.ErrorIsPermanent);
            return;
        }
        TryFinish();
    }

    private void OnPartWritten(PartWritten p)
    {
        if (Current(p.Generation) is not { } e || phase is not (JobPhase.Running or JobPhase.Preempting)) return;
        if (committedThisGeneration.Contains(p.Step))
        {
            Sender.Tell(new CheckpointCommitted(p.Step, new CheckpointStore(options.CheckpointRoot).PathOf(p.Step)));
            return;
        }
        if (!parts.TryGetValue(p.Step, out var ranks)) parts[p.Step] = ranks = [];
        ranks.Add(e.Rank);
        if (ranks.Count < options.WorldSize || !committing.Add(p.Step)) return;

        var (gen, step, root, world, keep) = (generation, p.Step, options.CheckpointRoot, options.WorldSize, roster.ByRank(0)!.Registration.Settings.KeepLast);
        Task.Run(() => CheckpointCommit.Run(new CheckpointStore(root), step, world, keep))
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? (object)new CommitDone(gen, step, t.Result.Path, t.Result.Pruned)
                : new CommitFailed(gen, step, t.Exception!.GetBaseException().Message))
            .PipeTo(Self);
    }

    private void OnCommitted(CommitDone m)
    {
        committing.Remove(m.Step);
        parts.Remove(m.Step);
        if (lastCommittedStep is null || m.Step >= lastCommittedStep) (lastCommittedStep, lastCommittedPath) = (m.Step, m.Path);
        log.Info("checkpoint step {0} committed at {1}{2}", m.Step, m.Path, m.Pruned.Count > 0 ? $"; pruned steps {string.Join(", ", m.Pruned)}" : "");
        if (m.Generation != generation) return; // committed on disk, but its ranks were aborted meanwhile
        committedThisGeneration.Add(m.Step);
        foreach (var e in roster.Entries) e.Worker.Tell(new CheckpointCommitted(m.Step, m.Path));
        if (phase == JobPhase.Preempting) committedSincePreempt = true;
        TryFinish();
    }

    private void OnCommitFailed(CommitFailed m)
    {
        committing.Remove(m.Step);
        parts.Remove(m.Step);
        if (m.Generation != generation) return;
        foreach (var e in roster.Entries) e.Worker.Tell(new CheckpointRefused(m.Step, m.Reason));
        Fail($"checkpoint step {m.Step} could not be committed: {m.Reason}");
    }

    private void OnTerminated(Terminated t)
    {
        if (roster.ByRef(t.ActorRef) is not { } e) return;
        if (phase == JobPhase.Rendezvous)
        {
            roster.Remove(e.Rank);
            log.Warning("{0} left before the start; {1}/{2} registered", e.Describe(), roster.Count, options.WorldSize);
            return;
        }
        if (e.Stopped || (order is not null && e.Last?.Step >= order.Plan.MaxSteps))
        {
            e.Gone = true;
            TryFinish();
            return;
        }
        Fail($"{e.Describe()} is gone (process exited or was removed from the cluster)");
    }

    private void OnUnreachable(ClusterEvent.UnreachableMember m)
    {
        if (phase is JobPhase.Starting or JobPhase.Running or JobPhase.Preempting)
        {
            var lost = roster.OnNode(m.Member.Address).Where(e => !e.Stopped).ToList();
            if (lost.Count > 0) Fail($"{string.Join(", ", lost.Select(e => e.Describe()))} unreachable ({m.Member.Address})");
        }
        // An unreachable rank is failed either way (a live one that is downed aborts). Down it now rather than after the
        // split-brain resolver's stable-after: dead members left in the membership while the next generation joins can
        // make the resolver down every member, the coordinator included.
        if (m.Member.HasRole(AkkaClusterSetup.WorkerRole))
        {
            log.Warning("downing unreachable rank member {0}", m.Member.Address);
            Akka.Cluster.Cluster.Get(Context.System).Down(m.Member.Address);
        }
    }

    private void CheckHeartbeats()
    {
        if (phase is not (JobPhase.Running or JobPhase.Preempting)) return;
        var now = DateTimeOffset.UtcNow;
        foreach (var e in roster.Entries.Where(e => !e.Stopped && !e.Gone))
        {
            var silent = (now - e.LastHeartbeat).TotalSeconds;
            if (silent > settings.Job.HeartbeatTimeoutSeconds)
            {
                Fail($"{e.Describe()} hung: no heartbeat for {silent:0.0}s (timeout {settings.Job.HeartbeatTimeoutSeconds}s)");
                return;
            }
            var still = (now - e.LastProgress).TotalSeconds;
            if (still > settings.Job.ProgressTimeoutSeconds)
            {
                Fail($"{e.Describe()} hung: no progress for {still:0}s at step {e.Last?.Step} (timeout {settings.Job.ProgressTimeoutSeconds}s)");
                return;
            }
        }
    }

    private void OnCheckpointNow(CheckpointNow m)
    {
        if (phase != JobPhase.Running)
        {
            log.Warning("checkpoint requested ({0}) but the job is {1}; ignored", m.Reason, phase);
            return;
        }
        log.Info("ordering a checkpoint at the next step boundary: {0}", m.Reason);
        foreach (var e in roster.Entries) e.Worker.Tell(m);
    }

    private void OnPreempt(Preempt m)
    {
        if (phase == JobPhase.Running)
        {
            log.Warning("preempted ({0}): ordering a final checkpoint", m.Reason);
            phase = JobPhase.Preempting;
            committedSincePreempt = false;
            foreach (var e in roster.Entries) e.Worker.Tell(new StopAtBoundary(m.Reason));
            Timers.StartSingleTimer("preempt", new PreemptTimedOut(), TimeSpan.FromSeconds(settings.Job.PreemptTimeoutSeconds));
            return;
        }
        if (phase is JobPhase.Rendezvous or JobPhase.Starting)
        {
            AbortAll($"preempted ({m.Reason}) before the start");
            Finish(JobPhase.Preempted, TrainerExit.Preempted, $"preempted ({m.Reason}) while waiting for ranks");
        }
    }

    private void TryFinish()
    {
        var all = roster.Entries.ToList();
        if (all.Count < options.WorldSize) return;
        if (phase == JobPhase.Running && order is not null && all.All(e => (e.Stopped || e.Gone) && e.Last?.Step >= order.Plan.MaxSteps))
            Finish(JobPhase.Completed, 0, $"completed {order.Plan.MaxSteps} steps");
        else if (phase == JobPhase.Preempting && committedSincePreempt && all.All(e => e.Stopped || e.Gone))
            Finish(JobPhase.Preempted, TrainerExit.Preempted, $"preempted; final checkpoint step {lastCommittedStep} committed");
    }

    /// <summary>
    /// A rank died, hung or became unreachable: stop every rank now and wait for a new rendezvous, within the restart
    /// budget. A <paramref name="permanent"/> failure (damaged data, a full disk) ends the job: a restart would meet it again.
    /// </summary>
    private void Fail(string reason, bool permanent = false)
    {
        if (finished) return;
        // The last step's checkpoint is committed: a rank lost now (between that commit and its own clean exit) costs
        // nothing, and a restart would only resume at the end.
        if (order is not null && lastCommittedStep >= order.Plan.MaxSteps)
        {
            log.Warning("after the final checkpoint (step {0}) was committed: {1}", lastCommittedStep, reason);
            AbortAll(reason);
            Finish(JobPhase.Completed, 0, $"completed {lastCommittedStep} steps");
            return;
        }
        log.Error("job failure in generation {0}: {1}", generation, reason);
        lastFailure = reason;
        AbortAll(reason);
        if (phase == JobPhase.Preempting)
        {
            Finish(JobPhase.Preempted, TrainerExit.Preempted, $"preempted; the final checkpoint failed ({reason})");
            return;
        }
        if (permanent)
        {
            Finish(JobPhase.Failed, 1, $"stopped without a restart, which would meet the same error: {reason}");
            return;
        }
        restarts++;
        if (restarts > settings.Job.MaxRestarts)
        {
            Finish(JobPhase.Failed, 1, $"failed after {settings.Job.MaxRestarts} restarts: {reason}");
            return;
        }
        generation++;
        phase = JobPhase.Rendezvous;
        log.Warning("restart {0}/{1}: waiting for {2} ranks (generation {3}) to resume from the last committed checkpoint (step {4})",
            restarts, settings.Job.MaxRestarts, options.WorldSize, generation, lastCommittedStep?.ToString() ?? "none");
    }

    private void AbortAll(string reason)
    {
        foreach (var e in roster.Entries)
        {
            e.Worker.Tell(new AbortTraining(generation, reason));
            Context.Unwatch(e.Worker);
        }
        roster.Clear();
        parts.Clear();
        committedThisGeneration.Clear();
        order = null;
    }

    private void Finish(JobPhase final, int exitCode, string reason)
    {
        if (finished) return;
        finished = true;
        phase = final;
        Timers.Cancel("preempt");
        log.Info("job {0}: {1} (exit {2})", final.ToString().ToLowerInvariant(), reason, exitCode);
        options.OnOutcome(new JobOutcome(exitCode, reason));
    }

    private JobStatus Snapshot()
    {
        var now = DateTimeOffset.UtcNow;
        var workers = roster.Entries.Select(e =>
        {
            var age = (now - e.LastHeartbeat).TotalSeconds;
            var r = e.Last;
            return new WorkerStatus(e.Registration.Identity, r?.Phase ?? TrainingPhase.Joining, r?.Step ?? 0, r?.Loss, r?.TokensPerSecond, r?.DeviceMemoryBytes,
                r?.LastCommittedStep, r?.Error, age, !e.Stopped && age > settings.Status.StaleAfterSeconds);
        }).ToArray();
        return new JobStatus(options.WorldSize, phase, generation, restarts, settings.Job.MaxRestarts, lastFailure, options.SlurmRestartCount,
            lastCommittedStep, lastCommittedPath, order?.ResumeCheckpoint, workers, [.. history], now);
    }
}
