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

    public bool Requested => reason is not null;
    public string? Reason => reason;

    /// <summary>Stop (checkpoint and exit for requeue) once this many steps are done, without changing the LR schedule (which follows max_steps).</summary>
    public long? StopAfterStep { get; init; }

    public void Request(string why) => reason ??= why;

    /// <summary>
    /// True when the run should stop after completing <paramref name="step"/> steps: the step limit is reached, or a
    /// stop was requested on some rank. <paramref name="requestedOnAnyRank"/> comes from an all-reduce of
    /// <see cref="Requested"/> sampled once per step, so every rank decides alike even when a signal reaches the
    /// ranks a moment apart (a rank stopping alone would leave the others blocked in the next collective).
    /// </summary>
    public bool ShouldStopAfter(long step, bool requestedOnAnyRank)
    {
        var limit = StopAfterStep is { } s && step >= s;
        if (limit) Request($"--stop-after-step {StopAfterStep}");
        else if (requestedOnAnyRank) Request("a stop signal to another rank");
        return limit || requestedOnAnyRank;
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

/// <summary>Exit codes of a training process.</summary>
public static class TrainerExit
{
    public const int Completed = 0;
    /// <summary>Stopped by SIGTERM/SIGUSR1 after committing a checkpoint: requeue and resume (EX_TEMPFAIL).</summary>
    public const int Preempted = 75;
}
