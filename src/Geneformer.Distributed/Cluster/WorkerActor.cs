using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// One per rank process: registers with the coordinator (retrying until acknowledged), hands the start order to
/// the training thread, forwards progress as periodic reports (the heartbeat), relays checkpoint parts until
/// committed, and turns the coordinator's orders (checkpoint, stop, abort) into flags the trainer reads.
/// </summary>
internal sealed class WorkerActor : ReceiveActor, IWithTimers
{
    // From the training thread (observer and committer), via Tell.
    /// <param name="Permanent">the error would recur on any restart (damaged data, a full disk)</param>
    public sealed record PhaseChanged(TrainingPhase Phase, string? Error, bool Permanent = false);
    public sealed record StepDone(StepProgress Progress);
    public sealed record LocalCommitSeen(long Step);
    public sealed record SendPart(long Step, int Rank);
    private sealed record Tick;
    private sealed record Reregister;
    private sealed record ResendParts;

    private readonly RegisterWorker registration;
    private readonly IActorRef coordinator;
    private readonly WorkerLink link;
    private readonly TimeSpan reportInterval;
    private readonly Func<long?>? deviceMemory;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<long, int> pendingParts = [];
    private int generation;
    private bool registered;
    private TrainingPhase phase = TrainingPhase.Joining;
    private string? error;
    private bool permanent;
    private long step;
    private double? loss;
    private long? lossStep;
    private double? tokensPerSecond;
    private long? lastCommitted;
    private DateTimeOffset lastProgress = DateTimeOffset.UtcNow;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RegisterWorker registration, IActorRef coordinator, WorkerLink link, TimeSpan reportInterval, Func<long?>? deviceMemory) =>
        Akka.Actor.Props.Create(() => new WorkerActor(registration, coordinator, link, reportInterval, deviceMemory));

    public WorkerActor(RegisterWorker registration, IActorRef coordinator, WorkerLink link, TimeSpan reportInterval, Func<long?>? deviceMemory)
    {
        this.registration = registration;
        this.coordinator = coordinator;
        this.link = link;
        this.reportInterval = reportInterval;
        this.deviceMemory = deviceMemory;

        Receive<Reregister>(_ => coordinator.Tell(registration));
        Receive<WorkerRegistered>(m =>
        {
            if (!registered) log.Info("registered as rank {0} (generation {1}, {2}/{3} ranks)", m.Rank, m.Generation, m.Registered, m.WorldSize);
            (registered, generation) = (true, m.Generation);
            Timers.Cancel("register");
        });
        Receive<RegistrationRefused>(m => link.Abort($"registration refused: {m.Reason}"));
        Receive<StartOrder>(m =>
        {
            // The step this rank starts from: a rank resuming at the last step trains none, and its stop must still
            // tell the coordinator it is done.
            (generation, step) = (m.Generation, m.ResumeStep);
            link.Start.TrySetResult(m);
        });
        Receive<PhaseChanged>(m =>
        {
            (phase, error, permanent, lastProgress) = (m.Phase, m.Error ?? error, permanent || m.Permanent, DateTimeOffset.UtcNow);
            Report();
        });
        Receive<StepDone>(m =>
        {
            (step, tokensPerSecond, lastProgress) = (m.Progress.Step, m.Progress.TokensPerSecond, DateTimeOffset.UtcNow);
            if (m.Progress.Loss is { } read) (loss, lossStep) = (read, m.Progress.Step);
        });
        Receive<LocalCommitSeen>(m => (lastCommitted, lastProgress) = (m.Step, DateTimeOffset.UtcNow));
        Receive<Tick>(_ => Report());
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
            link.CommitOf(m.Step).TrySetResult(m.Path);
        });
        Receive<CheckpointRefused>(m =>
        {
            pendingParts.Remove(m.Step);
            link.CommitOf(m.Step).TrySetException(new InvalidOperationException($"checkpoint step {m.Step} was not committed: {m.Reason}"));
        });
        Receive<CheckpointNow>(m => link.Stop.RequestCheckpoint());
        Receive<StopAtBoundary>(m => link.Stop.Request($"coordinator: {m.Reason}"));
        Receive<AbortTraining>(m =>
        {
            log.Warning("aborted by the coordinator: {0}", m.Reason);
            link.Abort(m.Reason);
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (m.Member.HasRole(AkkaClusterSetup.CoordinatorRole)) link.Abort($"the coordinator ({m.Member.Address}) left the cluster");
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

    private void Report()
    {
        if (!registered) return;
        coordinator.Tell(new WorkerReport(generation, registration.Identity.Rank, phase, step, loss, tokensPerSecond, deviceMemory?.Invoke(), lastCommitted, error, lastProgress) { LossStep = lossStep, ErrorIsPermanent = permanent });
    }
}
