using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The cluster singleton that runs the job: rendezvous of the ranks, start order (resume checkpoint, NCCL id,
/// data plan), checkpoint commits once every rank's part is written, failure detection with abort and a new
/// rendezvous, preemption, and the status snapshot. File-system work (finding the checkpoint to resume, committing)
/// runs off the actor thread.
/// It alone decides that a rank failed, from what proves it: the rank's exit (the launcher's <see cref="LaunchEnded"/>,
/// or its member leaving), its own error report, or its silence, judged against <c>job.startup_timeout_s</c> until it
/// trains and <c>job.heartbeat_timeout_s</c> after. Akka's unreachability, which a late observer causes as easily as
/// a dead peer, fails no rank; the coordinator downs only members that hold no rank of the running generation.
/// </summary>
public sealed class Coordinator : ReceiveActor, IWithTimers
{
    private sealed record CheckHealth;
    private sealed record PreemptTimedOut;
    private sealed record StartPrepared(int Generation, StartOrder Order, string[] Notes);
    /// <param name="Permanent">a restart would meet it again: the start is prepared from the same settings, corpus and checkpoints</param>
    private sealed record StartFailed(int Generation, string Reason, bool Permanent);
    private sealed record CommitDone(int Generation, long Step, string Path, IReadOnlyList<long> Pruned);
    private sealed record CommitFailed(int Generation, long Step, string Reason);

    private readonly CoordinatorOptions options;
    private readonly ClusterSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly WorkerRoster roster;
    private readonly Dictionary<long, HashSet<int>> parts = [];
    private readonly HashSet<long> committing = [];
    private readonly HashSet<long> committedThisGeneration = [];
    private readonly List<StepPoint> history = [];
    private readonly List<ValidationPoint> validation = [];
    private readonly List<RestartRecord> restartHistory = [];
    /// <summary>Worker members Akka sees as unreachable, and since when.</summary>
    private readonly Dictionary<Address, DateTimeOffset> unreachable = [];
    /// <summary>Members that held ranks of an aborted generation: once unreachable, they are dead or cut off.</summary>
    private readonly HashSet<Address> retired = [];
    private JobPhase phase = JobPhase.Rendezvous;
    private int generation = 1;
    private int restarts;
    private string? lastFailure;
    private long? lastCommittedStep;
    private string? lastCommittedPath;
    private DateTimeOffset? lastCommittedTime;
    private long? maxSteps;
    private StartOrder? order;
    private DateTimeOffset? startupDeadline;
    private long reportsReceived;
    private bool committedSincePreempt;
    private bool finished;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorOptions options) => Akka.Actor.Props.Create(() => new Coordinator(options));

    public Coordinator(CoordinatorOptions options)
    {
        this.options = options;
        settings = options.Settings;
        roster = new WorkerRoster(TimeSpan.FromSeconds(settings.Job.HeartbeatTimeoutSeconds));
        Geneformer.Common.Logging.LogContext.Generation = generation;
        var latest = new CheckpointStore(options.CheckpointRoot).LatestPointer();
        if (latest is { } l)
        {
            (lastCommittedStep, lastCommittedPath) = (l, new CheckpointStore(options.CheckpointRoot).PathOf(l));
            if (Directory.Exists(lastCommittedPath)) lastCommittedTime = Directory.GetLastWriteTimeUtc(lastCommittedPath);
        }

        Receive<RegisterWorker>(Register);
        Receive<StartPrepared>(m => m.Generation == generation && phase == JobPhase.Starting, Start);
        Receive<StartFailed>(m => m.Generation == generation && phase == JobPhase.Starting, m => Fail($"could not prepare the start: {m.Reason}", m.Permanent));
        Receive<WorkerReport>(OnReport);
        Receive<PartWritten>(OnPartWritten);
        Receive<CommitDone>(OnCommitted);
        Receive<CommitFailed>(OnCommitFailed);
        Receive<Terminated>(OnTerminated);
        Receive<ClusterEvent.UnreachableMember>(OnUnreachable);
        Receive<ClusterEvent.ReachableMember>(m => unreachable.Remove(m.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            unreachable.Remove(m.Member.Address);
            retired.Remove(m.Member.Address);
        });
        Receive<RanksLaunched>(_ => OnLaunched());
        Receive<LaunchEnded>(OnLaunchEnded);
        Receive<CheckHealth>(_ => CheckHeartbeats());
        Receive<CheckpointNow>(OnCheckpointNow);
        Receive<Preempt>(OnPreempt);
        Receive<PreemptTimedOut>(_ => Finish(JobPhase.Preempted, TrainerExit.Preempted, $"preempted; no final checkpoint within {settings.Job.PreemptTimeoutSeconds}s (last committed: step {lastCommittedStep?.ToString() ?? "none"})"));
        Receive<GetJobStatus>(_ => Sender.Tell(Snapshot()));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberRemoved));
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
        ArmStartupDeadline();
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
            var (found, skipped, _) = ResumePolicy.Choose(new CheckpointStore(root), initial);
            var (path, first) = found is not null ? (found.Path, found.Step) : (null, 0L);
            var plan = DataPlanner.Build(cells, job.Settings, world, first);
            var notes = skipped.Select(s => $"skipped checkpoint {s.Path}: {string.Join("; ", s.Problems)}").ToArray();
            return new StartPrepared(gen, new StartOrder(gen, world, path, first, job.NcclUniqueId, plan.Summary()), notes);
        }).ContinueWith(t => t.IsCompletedSuccessfully ? (object)t.Result : StartFailedOf(gen, t.Exception!.GetBaseException())).PipeTo(Self);
    }

    /// <summary>A batch that does not divide among the ranks, or a --resume-from with no verified checkpoint, stays so at every launch; a read error may not.</summary>
    private static StartFailed StartFailedOf(int generation, Exception e) =>
        new(generation, e.Message, e is ArgumentException or InvalidDataException || PermanentFailure.Is(e));

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
        reportsReceived++;
        if (Current(r.Generation) is not { } e) return;
        Sender.Tell(new ReportAcknowledged(generation));
        var now = DateTimeOffset.UtcNow;
        var previous = e.Last;
        if (previous is null || previous.Phase != r.Phase || previous.Step != r.Step || previous.LastCommittedStep != r.LastCommittedStep)
            e.LastProgress = now;
        if (e.Training) e.Gaps.Add(now, (now - e.LastHeartbeat).TotalSeconds);
        else if (order is not null && (r.Phase is TrainingPhase.Training or TrainingPhase.Evaluating or TrainingPhase.Checkpointing || r.Step > order.ResumeStep))
            (e.Training, e.LastProgress) = (true, now);
        e.Last = r;
        e.LastHeartbeat = now;
        maxSteps ??= e.Registration.Settings.MaxSteps;
        if (r.Rank == 0 && r.Loss is { } loss && (r.LossStep ?? r.Step) is var lossStep && (history.Count == 0 || history[^1].Step < lossStep))
        {
            history.Add(new StepPoint(lossStep, loss, roster.Entries.Sum(x => x.Last?.TokensPerSecond ?? 0)) { Time = now, SlowestRank = Slowest()?.Rank });
            if (history.Count > settings.Status.HistoryPoints) history.RemoveRange(0, history.Count - settings.Status.HistoryPoints);
        }
        if (r.Rank == 0 && r is { ValidationLoss: { } v, ValidationStep: { } vStep } && (validation.Count == 0 || validation[^1].Step < vStep))
        {
            validation.Add(new ValidationPoint(vStep, v));
            if (validation.Count > settings.Status.HistoryPoints) validation.RemoveAt(0);
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
        if (lastCommittedStep is null || m.Step >= lastCommittedStep) (lastCommittedStep, lastCommittedPath, lastCommittedTime) = (m.Step, m.Path, DateTimeOffset.UtcNow);
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

    /// <summary>
    /// Unreachable fails no rank: a rank of this generation is failed by its silence (<see cref="CheckHealth"/>). A
    /// member that held a rank of an aborted generation is dead or cut off and is downed at once, so the next
    /// generation joins a membership that converges; any other member after the start-up timeout.
    /// </summary>
    private void OnUnreachable(ClusterEvent.UnreachableMember m)
    {
        if (!m.Member.HasRole(AkkaClusterSetup.WorkerRole)) return;
        unreachable.TryAdd(m.Member.Address, DateTimeOffset.UtcNow);
        var ranks = roster.OnNode(m.Member.Address).ToList();
        if (ranks.Count > 0)
            log.Info("{0} unreachable ({1}); it fails only if its reports stop for {2}s", string.Join(", ", ranks.Select(e => e.Describe())), m.Member.Address, settings.Job.HeartbeatTimeoutSeconds);
        DownLostMembers();
    }

    private void DownLostMembers()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (address, since) in unreachable.ToList())
        {
            if (roster.OnNode(address).Any()) continue;
            if (!retired.Contains(address) && (now - since).TotalSeconds < settings.Job.StartupTimeoutSeconds) continue;
            log.Info("downing unreachable member {0}, which holds no rank of generation {1}", address, generation);
            Akka.Cluster.Cluster.Get(Context.System).Down(address);
            unreachable.Remove(address);
        }
    }

    private void ArmStartupDeadline() => startupDeadline ??= DateTimeOffset.UtcNow.AddSeconds(settings.Job.StartupTimeoutSeconds);

    private void OnLaunched()
    {
        if (phase == JobPhase.Rendezvous) ArmStartupDeadline();
        Sender.Tell(new LaunchAccepted(generation, restarts, settings.Job.MaxRestarts));
    }

    /// <summary>Every process of a launch has exited: a rank died (or was killed with the others), seen from its exit at once.</summary>
    private void OnLaunchEnded(LaunchEnded m)
    {
        if (!finished && m.Generation == generation && phase is JobPhase.Rendezvous or JobPhase.Starting or JobPhase.Running or JobPhase.Preempting)
        {
            var lost = roster.Entries.Where(e => !e.Stopped).Select(e => e.Rank).ToList();
            Fail($"the ranks' processes exited (launcher exit {m.ExitCode}) before the job ended{(lost.Count is > 0 and <= 16 ? $"; running ranks then: {string.Join(", ", lost)}" : "")}");
        }
        Sender.Tell(new LaunchVerdict(!finished, generation));
    }

    private void CheckHeartbeats()
    {
        DownLostMembers();
        var now = DateTimeOffset.UtcNow;
        if (phase is JobPhase.Rendezvous or JobPhase.Starting && startupDeadline < now)
        {
            var missing = Enumerable.Range(0, options.WorldSize).Where(r => roster.ByRank(r) is null).ToList();
            Fail($"start-up took longer than job.startup_timeout_s ({settings.Job.StartupTimeoutSeconds}s): {roster.Count} of {options.WorldSize} ranks registered" +
                 (missing.Count > 0 ? $"; missing ranks {Ranges(missing)}" : ""));
            return;
        }
        if (phase is not (JobPhase.Running or JobPhase.Preempting)) return;
        var live = roster.Entries.Where(e => !e.Stopped && !e.Gone).ToList();
        if (startupDeadline < now && live.Where(e => !e.Training).ToList() is [var first, ..] notStarted)
        {
            Fail($"{Describe(notStarted)} did not start training within job.startup_timeout_s ({settings.Job.StartupTimeoutSeconds}s); last phase {(first.Last?.Phase ?? TrainingPhase.Joining).ToString().ToLowerInvariant()}");
            return;
        }
        // Every silent rank is named: a node's agent that died or stopped silences all of the node's ranks at once.
        var training = live.Where(e => e.Training).ToList();
        var timeout = settings.Job.HeartbeatTimeoutSeconds;
        var hung = SilenceJudgment.Hung(training.Select(e => new SilenceJudgment.Rank((now - e.LastHeartbeat).TotalSeconds, e.Gaps.Recent(now))).ToList(), timeout);
        if (hung.Count > 0)
        {
            var longest = hung.MaxBy(v => v.Silence);
            Fail($"{Describe(hung.Select(v => training[v.Index]).ToList())} hung: no heartbeat for {longest.Silence:0.0}s " + (longest.Silence > SilenceJudgment.WholeJobFactor * timeout
                ? $"({SilenceJudgment.WholeJobFactor} x job.heartbeat_timeout_s, {timeout}s, with the whole job silent)"
                : $"(timeout {timeout}s beyond the other ranks' usual silence, {longest.Common:0.0}s)"));
            return;
        }
        if (live.FirstOrDefault(e => e.Training && (now - e.LastProgress).TotalSeconds > settings.Job.ProgressTimeoutSeconds) is { } still)
            Fail($"{still.Describe()} hung: no progress for {(now - still.LastProgress).TotalSeconds:0}s at step {still.Last?.Step} (timeout {settings.Job.ProgressTimeoutSeconds}s)");
    }

    /// <summary>A few ranks one by one (rank 3 (node-00, pid 1234)); many as ranks per node (ranks 24-31 on node-03).</summary>
    private static string Describe(IReadOnlyList<RosterEntry> entries) => entries.Count <= 4
        ? string.Join(", ", entries.Select(e => e.Describe()))
        : string.Join("; ", entries.GroupBy(e => e.Registration.Identity.Node).Select(g => $"ranks {Ranges(g.Select(e => e.Rank).Order().ToList())} on {g.Key}"));

    /// <summary>1, 3-7, 9: rank lists stay one line at 1,024 ranks.</summary>
    private static string Ranges(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
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
        Geneformer.Common.Logging.LogContext.Generation = generation;
        restartHistory.Add(new RestartRecord(generation, DateTimeOffset.UtcNow, reason));
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
            retired.Add(e.Worker.Path.Address);
        }
        roster.Clear();
        parts.Clear();
        committedThisGeneration.Clear();
        order = null;
        startupDeadline = null;
        DownLostMembers();
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

    /// <summary>The rank the others wait for, from the ranks' latest figures.</summary>
    private (int Rank, bool Straggler)? Slowest() =>
        Stragglers.Slowest(roster.Entries.Where(e => e.Last?.Figures is not null).Select(e => (e.Rank, e.Last!.Figures!.ComputeSeconds)).ToList());

    private JobStatus Snapshot()
    {
        var now = DateTimeOffset.UtcNow;
        var slowest = Slowest();
        var workers = roster.Entries.Select(e =>
        {
            var age = (now - e.LastHeartbeat).TotalSeconds;
            var r = e.Last;
            return new WorkerStatus(e.Registration.Identity, r?.Phase ?? TrainingPhase.Joining, r?.Step ?? 0, r?.Loss, r?.TokensPerSecond, r?.DeviceMemoryBytes,
                r?.LastCommittedStep, r?.Error, age, !e.Stopped && age > settings.Status.StaleAfterSeconds)
            {
                MaxHeartbeatGapSeconds = e.Gaps.Longest, AgentPid = e.Registration.AgentPid, Figures = r?.Figures,
                Straggler = slowest is { Straggler: true } s && s.Rank == e.Rank,
            };
        }).ToArray();
        var step = workers.Length > 0 ? workers.Min(w => w.Step) : lastCommittedStep;
        return new JobStatus(options.WorldSize, phase, generation, restarts, settings.Job.MaxRestarts, lastFailure, options.SlurmRestartCount,
            lastCommittedStep, lastCommittedPath, order?.ResumeCheckpoint, workers, [.. history], now)
        {
            ReportsReceived = reportsReceived, MaxSteps = maxSteps, LastCommittedTime = lastCommittedTime, RestartHistory = [.. restartHistory], Validation = [.. validation],
            EtaSeconds = maxSteps is { } max && phase is JobPhase.Running or JobPhase.Preempting ? JobEta.Seconds(history, step ?? 0, max) : null,
            SlowestRank = slowest?.Rank, Step = step,
        };
    }
}
