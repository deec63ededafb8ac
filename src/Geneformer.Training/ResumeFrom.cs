namespace Geneformer.Training;

/// <summary>How a run should start.</summary>
public abstract record ResumeFrom
{
    /// <summary>Fresh; refuses a checkpoint directory that already holds checkpoints (<c>--resume none</c>).</summary>
    public sealed record None : ResumeFrom;
    /// <summary>Fresh, whatever the checkpoint directory holds (the coordinator found nothing to start from).</summary>
    public sealed record Scratch : ResumeFrom;
    /// <summary>By <see cref="Checkpoints.ResumePolicy"/>: the newest verified checkpoint of the run's own directory, else <paramref name="Seed"/>'s.</summary>
    public sealed record Auto(string? Seed = null) : ResumeFrom;
    /// <summary>This checkpoint (the coordinator's choice, in its start order).</summary>
    public sealed record Directory(string Path) : ResumeFrom;

    /// <summary><c>--resume auto|none</c> and <c>--resume-from SEED</c>, checked.</summary>
    public static ResumeFrom Parse(string value, string? seed) => value switch
    {
        "auto" => new Auto(seed),
        "none" when seed is null => new None(),
        "none" => throw new ArgumentException($"--resume none with --resume-from {seed}: none starts fresh; leave --resume at auto to start from {seed}"),
        _ => throw new ArgumentException($"--resume {value}: expected auto or none; to start from another run's checkpoint, use --resume-from {value}"),
    };
}
