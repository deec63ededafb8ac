namespace Geneformer.Training;

/// <summary>Exit codes of a training process.</summary>
public static class TrainerExit
{
    public const int Completed = 0;
    /// <summary>Stopped by SIGTERM/SIGUSR1 after committing a checkpoint: requeue and resume (EX_TEMPFAIL).</summary>
    public const int Preempted = 75;
}
