using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// One per rank, in its node's agent (<see cref="NodeAgent"/>): registers the rank with the coordinator (retrying until
/// acknowledged), passes the start order on, forwards the rank's progress as periodic reports (the heartbeat), relays
/// checkpoint parts until committed, and passes the coordinator's orders (checkpoint, stop, abort) to the rank.
/// When the rank's connection closes, the rank process has ended: without a clean stop before, that is reported as a
/// failure at once. Its reports carry the rank's own heartbeat: while the rank process is silent (stopped, frozen), so
/// are they, and the coordinator judges that silence. It aborts the rank itself when it hears nothing from the coordinator (which answers every report)
/// for <c>job.startup_timeout_s</c> before the start order, or for twice <c>job.heartbeat_timeout_s</c> after it: the
/// coordinator died or is cut off. (Twice: the coordinator judges the ranks first; a rank judges it only when it must.)
/// </summary>
internal sealed class WorkerActor : ReceiveActor, IWithTimers
{
    // From the rank's connection (see NodeAgent), via Tell.
    /// <param name="Permanent">the error would recur on any restart (damaged data, a full disk)</param>
    public sealed record PhaseChanged(TrainingPhase Phase, string? Error, bool Permanent = false);
    public sealed record StepDone(long Step, double? Loss, double TokensPerSecond, long? MemoryBytes, RankStepFigures? Figures, ValidationPoint? Validation);
    public sealed record LocalCommitSeen(long Step);
    public sealed record SendPart(long Step, int Rank);
    /// <summary>The rank's connection closed: its process has ended.</summary>
    public sealed record RankGone
    {
        public static readonly RankGone Instance = new();
    }
    /// <summary>The rank's heartbeat (its process is alive).</summary>
    public sealed record RankAlive
    {
        public static readonly RankAlive Instance = new();
    }
    private sealed record Tick;
    private sealed record Leave;
    private sealed record Reregister;
    private sealed record ResendParts;

    private readonly RegisterWorker registration;
    private readonly IActorRef coordinator;
    private readonly IRankLink rank;
    private readonly TimeSpan reportInterval;
    private readonly ClusterSettings.JobSection job;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<long, int> pendingParts = [];
    private DateTimeOffset lastHeard = DateTimeOffset.UtcNow;
    private DateTimeOffset lastFromRank = DateTimeOffset.UtcNow;
    private bool started;
    private bool aborted;
    /// <summary>The rank's process ended without stopping and that was reported: the actor waits for the coordinator's answer.</summary>
    private bool leaving;
    private int generation;
    private bool registered;
    private TrainingPhase phase = TrainingPhase.Joining;
    private string? error;
    private bool permanent;
    private long step;
    private double? loss;
    private long? lossStep;
    private double? tokensPerSecond;
    private RankStepFigures? figures;
    private ValidationPoint? validation;
    private long? memory;
    private long? lastCommitted;
    private DateTimeOffset lastProgress = DateTimeOffset.UtcNow;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RegisterWorker registration, IActorRef coordinator, IRankLink rank, ClusterSettings settings) =>
        Akka.Actor.Props.Create(() => new WorkerActor(registration, coordinator, rank, settings));

    public WorkerActor(RegisterWorker registration, IActorRef coordinator, IRankLink rank, ClusterSettings settings)
    {
        this.registration = registration;
        this.coordinator = coordinator;
        this.rank = rank;
        reportInterval = TimeSpan.FromSeconds(settings.Status.ReportIntervalSeconds);
        job = settings.Job;

        Receive<Reregister>(_ => coordinator.Tell(registration));
        Receive<ReportAcknowledged>(_ => lastHeard = DateTimeOffset.UtcNow);
        Receive<WorkerRegistered>(m =>
        {
            lastHeard = DateTimeOffset.UtcNow;
            if (!registered) log.Info("registered rank {0} (generation {1}, {2}/{3} ranks)", m.Rank, m.Generation, m.Registered, m.WorldSize);
            (registered, generation) = (true, m.Generation);
            Timers.Cancel("register");
        });
        Receive<RegistrationRefused>(m => Abort($"registration refused: {m.Reason}"));
        Receive<StartOrder>(m =>
        {
            lastHeard = DateTimeOffset.UtcNow;
            // The step this rank starts from: a rank resuming at the last step trains none, and its stop must still
            // tell the coordinator it is done.
            (generation, step, started) = (m.Generation, m.ResumeStep, true);
            rank.Start(m);
        });
        Receive<RankAlive>(_ => lastFromRank = DateTimeOffset.UtcNow);
        Receive<PhaseChanged>(m =>
        {
            lastFromRank = DateTimeOffset.UtcNow;
            (phase, error, permanent, lastProgress) = (m.Phase, m.Error ?? error, permanent || m.Permanent, DateTimeOffset.UtcNow);
            Report();
        });
        Receive<StepDone>(m =>
        {
            lastFromRank = DateTimeOffset.UtcNow;
            (step, tokensPerSecond, memory, lastProgress) = (m.Step, m.TokensPerSecond, m.MemoryBytes ?? memory, DateTimeOffset.UtcNow);
            (figures, validation) = (m.Figures ?? figures, m.Validation ?? validation);
            if (m.Loss is { } read) (loss, lossStep) = (read, m.Step);
        });
        Receive<LocalCommitSeen>(m => (lastCommitted, lastProgress) = (m.Step, DateTimeOffset.UtcNow));
        Receive<RankGone>(_ =>
        {
            if (phase is not (TrainingPhase.Stopped or TrainingPhase.Failed) && !aborted)
            {
                (phase, error) = (TrainingPhase.Failed, $"its process (pid {registration.Identity.Pid}) exited without stopping");
                Report();
                // Akka delivers this actor's stop to the coordinator (Terminated) on a channel of its own, which can
                // overtake the report; the actor stops once the coordinator has acted on it (it aborts every rank),
                // or after a few report intervals should no answer come.
                leaving = true;
                Timers.StartSingleTimer("leave", new Leave(), 3 * reportInterval + TimeSpan.FromSeconds(5));
                return;
            }
            Context.Stop(Self);
        });
        Receive<Leave>(_ => Context.Stop(Self));
        Receive<Tick>(_ =>
        {
            if (leaving) return;
            // A rank silent for a few report intervals gets no report: the coordinator's heartbeat timeout judges it.
            if (DateTimeOffset.UtcNow - lastFromRank < 3 * reportInterval + TimeSpan.FromSeconds(1)) Report();
            rank.Alive();
            CheckCoordinator();
        });
        Receive<SendPart>(m =>
        {
            pendingParts[m.Step] = m.Rank;
            coordinator.Tell(new PartWritten(generation, m.Step, m.Rank));
        });
        Receive<ResendParts>(_ =>
        {
            foreach (var (s, r) in pendingParts) coordinator.Tell(new PartWritten(generation, s, r));
        });
        Receive<CheckpointCommitted>(m =>
        {
            pendingParts.Remove(m.Step);
            lastCommitted = Math.Max(lastCommitted ?? 0, m.Step);
            rank.Committed(m.Step, m.Path);
        });
        Receive<CheckpointRefused>(m =>
        {
            pendingParts.Remove(m.Step);
            rank.CommitRefused(m.Step, m.Reason);
        });
        Receive<CheckpointNow>(_ => rank.RequestCheckpoint());
        Receive<StopAtBoundary>(m => rank.RequestStop($"coordinator: {m.Reason}"));
        Receive<AbortTraining>(m =>
        {
            if (leaving) Context.Stop(Self);
            else Abort(m.Reason);
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (m.Member.HasRole(AkkaClusterSetup.CoordinatorRole)) Abort($"the coordinator ({m.Member.Address}) left the cluster");
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        Self.Tell(new Reregister());
        Timers.StartPeriodicTimer("register", new Reregister(), TimeSpan.FromSeconds(2));
        Timers.StartPeriodicTimer("report", new Tick(), reportInterval);
        Timers.StartPeriodicTimer("parts", new ResendParts(), TimeSpan.FromSeconds(3));
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Abort(string reason)
    {
        if (aborted) return;
        aborted = true;
        log.Info("rank {0} aborted: {1}", registration.Identity.Rank, reason);
        rank.Abort(reason);
    }

    private void CheckCoordinator()
    {
        var silent = (DateTimeOffset.UtcNow - lastHeard).TotalSeconds;
        if (!started && silent > job.StartupTimeoutSeconds)
            Abort(registered
                ? $"no start order from the coordinator within job.startup_timeout_s ({job.StartupTimeoutSeconds}s) of its last message"
                : $"not registered with the coordinator within job.startup_timeout_s ({job.StartupTimeoutSeconds}s)");
        else if (started && silent > 2 * job.HeartbeatTimeoutSeconds)
            Abort($"nothing from the coordinator for {silent:0}s (twice job.heartbeat_timeout_s, {job.HeartbeatTimeoutSeconds}s): it is gone or cut off");
    }

    private void Report()
    {
        if (!registered) return;
        coordinator.Tell(new WorkerReport(generation, registration.Identity.Rank, phase, step, loss, tokensPerSecond, memory, lastCommitted, error, lastProgress) {
            LossStep = lossStep, ErrorIsPermanent = permanent, Figures = figures, ValidationLoss = validation?.Loss, ValidationStep = validation?.Step,
        });
    }
}
