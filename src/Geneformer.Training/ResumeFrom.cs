namespace Geneformer.Training;

/// <summary>How a run should start: from scratch, from the newest verified checkpoint in the store, or from a given checkpoint directory.</summary>
public abstract record ResumeFrom
{
    public sealed record None : ResumeFrom;
    /// <summary>From scratch, whatever the checkpoint directory holds (the coordinator found nothing that verifies).</summary>
    public sealed record Scratch : ResumeFrom;
    public sealed record Auto : ResumeFrom;
    public sealed record Directory(string Path) : ResumeFrom;

    public static ResumeFrom Parse(string value) => value switch
    {
        "auto" => new Auto(),
        "none" => new None(),
        _ => new Directory(value),
    };
}
