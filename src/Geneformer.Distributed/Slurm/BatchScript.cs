namespace Geneformer.Distributed.Slurm;

/// <summary>
/// slurm/pretrain.sbatch (embedded in the command) rendered for one job: its <c>#SBATCH</c> lines replaced by the
/// job's sizes and its settings block by the job's values. Everything else runs as written.
/// </summary>
public static class BatchScript
{
    public const string ResourceName = "pretrain.sbatch";
    private const string SettingsStart = "# >>> settings";
    private const string SettingsEnd = "# <<< settings";

    /// <summary>The script as shipped (slurm/pretrain.sbatch).</summary>
    public static string Template()
    {
        using var stream = typeof(BatchScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the batch script resource '{ResourceName}' is missing from this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string Render(JobSpec job) => Render(Template(), job);

    public static string Render(string template, JobSpec job)
    {
        var lines = template.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(SettingsStart, StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.StartsWith(SettingsEnd, StringComparison.Ordinal));
        var firstSbatch = Array.FindIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal));
        if (start < 0 || end < start || firstSbatch < 0 || firstSbatch > start)
            throw new InvalidDataException($"the batch script template lacks its #SBATCH lines or its '{SettingsStart}' ... '{SettingsEnd}' block");

        var output = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i == firstSbatch) output.AddRange(job.SbatchLines().Select(o => "#SBATCH " + o));
            if (lines[i].StartsWith("#SBATCH", StringComparison.Ordinal)) continue;
            if (i == start)
            {
                output.Add(SettingsStart + " (written by geneformer submit)");
                output.AddRange(job.SettingLines());
                continue;
            }
            if (i > start && i < end) continue;
            output.Add(lines[i]);
        }
        return string.Join('\n', output);
    }

    /// <summary>The <c>#SBATCH</c> options of a script, without the prefix.</summary>
    public static IReadOnlyList<string> SbatchOptions(string script) =>
        script.ReplaceLineEndings("\n").Split('\n')
            .Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal))
            .Select(l => l["#SBATCH ".Length..].Trim())
            .ToList();
}
