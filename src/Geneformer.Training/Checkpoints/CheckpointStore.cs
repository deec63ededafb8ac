using System.Globalization;
using System.Text.RegularExpressions;
using Geneformer.Common.IO;

namespace Geneformer.Training.Checkpoints;

/// <summary>
/// Checkpoints on shared storage: <c>ROOT/step-000123/</c> directories, each with a manifest of SHA-256
/// checksums, and a <c>latest</c> pointer. A checkpoint is staged under a temporary name, fsynced, and renamed
/// into place only when every part is written (<see cref="Commit"/>); <c>latest</c> moves only after that, by an
/// atomic rename. A crash at any moment leaves every earlier checkpoint intact.
/// </summary>
public sealed partial class CheckpointStore
{
    public const string LatestFile = "latest";

    public string Root { get; }

    public CheckpointStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public static string DirectoryName(long step) => $"step-{step:D6}";

    public string PathOf(long step) => Path.Combine(Root, DirectoryName(step));

    /// <summary>The staging directory for <paramref name="step"/> (created; emptied if a previous attempt left one).</summary>
    public string BeginStaging(long step)
    {
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".{DirectoryName(step)}.staging");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        return staging;
    }

    public string StagingPath(long step) => Path.Combine(Root, $".{DirectoryName(step)}.staging");

    /// <summary>Writes the manifest, fsyncs, renames the staged checkpoint into place, then moves <c>latest</c>.</summary>
    public string Commit(long step)
    {
        var staging = StagingPath(step);
        if (!Directory.Exists(staging)) throw new InvalidOperationException($"checkpoint step {step} was never staged in {Root}");
        var manifest = CheckpointManifest.Build(staging, step);
        File.WriteAllText(Path.Combine(staging, CheckpointLayout.ManifestFile), manifest.ToJson());
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)) Durable.FsyncFile(file);
        foreach (var dir in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories)) Durable.FsyncDirectory(dir);
        Durable.FsyncDirectory(staging);
        var final = PathOf(step);
        if (Directory.Exists(final))
        {
            // Only a checkpoint of the same step can be here (a rerun after a crash between rename and pointer):
            // move it aside rather than delete it, so nothing verified is lost before the new one is in place.
            var aside = Path.Combine(Root, $".{DirectoryName(step)}.replaced-{Guid.NewGuid():N}");
            Directory.Move(final, aside);
            Directory.Move(staging, final);
            Directory.Delete(aside, recursive: true);
        }
        else
        {
            Directory.Move(staging, final);
        }
        Durable.FsyncDirectory(Root);
        Durable.WriteAllText(Path.Combine(Root, LatestFile), DirectoryName(step) + "\n");
        return final;
    }

    /// <summary>The step <c>latest</c> points to, if any.</summary>
    public long? LatestPointer()
    {
        var path = Path.Combine(Root, LatestFile);
        if (!File.Exists(path)) return null;
        var m = StepPattern().Match(File.ReadAllText(path).Trim());
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Every committed checkpoint, newest first, each verified against its manifest.</summary>
    public IReadOnlyList<CheckpointInfo> List(bool verify = true)
    {
        if (!Directory.Exists(Root)) return [];
        var result = new List<CheckpointInfo>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var m = StepPattern().Match(Path.GetFileName(dir));
            if (!m.Success) continue;
            var step = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            IReadOnlyList<string> problems;
            try
            {
                var manifest = CheckpointManifest.Read(dir);
                problems = !verify ? [] : manifest.Step != step ? [$"manifest says step {manifest.Step}"] : manifest.Verify(dir);
            }
            catch (InvalidDataException e)
            {
                problems = [e.Message];
            }
            result.Add(new CheckpointInfo(step, dir, problems, TrainerState.TryReadValidationLoss(dir)));
        }
        return result.OrderByDescending(c => c.Step).ToList();
    }

    /// <summary>The newest checkpoint that verifies, and the newer ones skipped with their reasons.</summary>
    public (CheckpointInfo? Checkpoint, IReadOnlyList<CheckpointInfo> Skipped) FindResumable()
    {
        var skipped = new List<CheckpointInfo>();
        foreach (var c in List())
        {
            if (c.Verified) return (c, skipped);
            skipped.Add(c);
        }
        return (null, skipped);
    }

    /// <summary>
    /// A checkpoint named by the user: <paramref name="given"/> itself when it is one (it must verify), else the newest
    /// checkpoint in it that verifies. Throws, naming <paramref name="given"/> and what is wrong, when there is none.
    /// </summary>
    public static CheckpointInfo Resolve(string given)
    {
        if (File.Exists(System.IO.Path.Combine(given, CheckpointLayout.ManifestFile)))
        {
            var problems = CheckpointManifest.Read(given).Verify(given);
            if (problems.Count > 0) throw new InvalidDataException($"{given}: checkpoint does not verify: {string.Join("; ", problems)}");
            return new CheckpointInfo(TrainerState.Read(given).Step, given, [], TrainerState.TryReadValidationLoss(given));
        }
        var (found, skipped) = new CheckpointStore(given).FindResumable();
        return found ?? throw new InvalidDataException($"{given}: no verified checkpoint there" +
                                                       (skipped.Count > 0 ? $" ({skipped.Count} that do not verify)" : ""));
    }

    /// <summary>Deletes checkpoints beyond the newest <paramref name="keepLast"/>, keeping the best by validation loss and the one <c>latest</c> names.</summary>
    public IReadOnlyList<long> Prune(int keepLast)
    {
        var all = List(verify: false);
        var keep = all.Take(keepLast).Select(c => c.Step).ToHashSet();
        if (all.Where(c => c.ValidationLoss is not null).MinBy(c => c.ValidationLoss) is { } best) keep.Add(best.Step);
        if (LatestPointer() is { } latest) keep.Add(latest);
        var removed = new List<long>();
        foreach (var c in all.Where(c => !keep.Contains(c.Step)))
        {
            // Rename first so a crash mid-delete never leaves a half checkpoint under a committed name.
            var doomed = Path.Combine(Root, $".{DirectoryName(c.Step)}.deleting");
            Directory.Move(c.Path, doomed);
            Directory.Delete(doomed, recursive: true);
            removed.Add(c.Step);
        }
        return removed;
    }

    [GeneratedRegex(@"^step-(\d+)$")] private static partial Regex StepPattern();
}
