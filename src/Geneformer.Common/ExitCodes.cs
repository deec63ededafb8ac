namespace Geneformer.Common;

/// <summary>Process exit codes that scripts (and the Slurm batch script) rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input: a file, field or value was not what was expected. Nothing was written.</summary>
    public const int BadInput = 2;
    /// <summary>This machine cannot run what was asked: libtorch missing or not matching this build, or the device or its collectives unusable (<c>geneformer doctor</c> says why).</summary>
    public const int EnvironmentUnusable = 3;
    /// <summary>sbatch is missing or refused the job (its message is shown).</summary>
    public const int SubmitFailed = 4;
    /// <summary>A multi-rank command stopped because another rank failed (that rank printed why). Nothing was written.</summary>
    public const int OtherRankFailed = 5;
}
