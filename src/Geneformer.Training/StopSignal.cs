using System.Runtime.InteropServices;

namespace Geneformer.Training;

/// <summary>
/// SIGTERM and SIGUSR1 (Slurm's preemption warning) ask the trainer to checkpoint at the next step boundary
/// and exit with <see cref="TrainerExit.Preempted"/>, so a batch system can requeue the job.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private const int SigUsr1 = 10; // Linux x86-64/arm64; PosixSignal takes raw numbers on Unix
    private readonly List<PosixSignalRegistration> registrations = [];
    private volatile string? reason;
    private int checkpointRequested;

    public bool Requested => reason is not null;
    public string? Reason => reason;

    /// <summary>Stop (checkpoint and exit for requeue) once this many steps are done, without changing the LR schedule (which follows max_steps).</summary>
    public long? StopAfterStep { get; init; }

    public void Request(string why) => reason ??= why;

    /// <summary>Ask for a checkpoint at the next step boundary without stopping (the coordinator's on-demand checkpoint).</summary>
    public void RequestCheckpoint() => Interlocked.Exchange(ref checkpointRequested, 1);

    /// <summary>True once after <see cref="RequestCheckpoint"/>; the trainer samples it before each step's reduction.</summary>
    public bool TakeCheckpointRequest() => Interlocked.Exchange(ref checkpointRequested, 0) == 1;

    /// <summary>
    /// True when the run should stop after completing <paramref name="step"/> steps. <paramref name="requestedOnAnyRank"/> is
    /// the all-reduced request flag (so every rank stops at the same step, however late the signal reached it).
    /// </summary>
    public bool ShouldStopAfter(long step, bool requestedOnAnyRank)
    {
        if (StopAfterStep is { } s && step >= s)
        {
            Request($"--stop-after-step {s}");
            return true;
        }
        if (requestedOnAnyRank) Request("stop requested on another rank");
        return requestedOnAnyRank;
    }

    public static StopSignal ListenToProcessSignals(long? stopAfterStep = null)
    {
        var s = new StopSignal { StopAfterStep = stopAfterStep };
        if (OperatingSystem.IsWindows()) return s;
        s.registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; s.Request("SIGTERM"); }));
        s.registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, ctx => { ctx.Cancel = true; s.Request("SIGUSR1"); }));
        return s;
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
    }
}
