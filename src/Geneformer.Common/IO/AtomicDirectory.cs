namespace Geneformer.Common.IO;

/// <summary>
/// Builds a directory under a temporary sibling name and renames it into place only when complete,
/// so readers never see a half-written directory and a crash leaves the old one (if any) untouched.
/// </summary>
public sealed class AtomicDirectory : IDisposable
{
    private bool committed;

    public string FinalPath { get; }
    /// <summary>Write everything here, then call <see cref="Commit"/>.</summary>
    public string TempPath { get; }

    public AtomicDirectory(string finalPath)
    {
        FinalPath = Path.GetFullPath(finalPath);
        var parent = Path.GetDirectoryName(FinalPath) ?? throw new ArgumentException($"'{finalPath}' has no parent directory");
        Directory.CreateDirectory(parent);
        TempPath = Path.Combine(parent, $".{Path.GetFileName(FinalPath)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(TempPath);
    }

    /// <summary>Fsyncs every file, then renames into place. Fails if the destination exists and <paramref name="replace"/> is false.</summary>
    public void Commit(bool replace = false)
    {
        foreach (var file in Directory.EnumerateFiles(TempPath, "*", SearchOption.AllDirectories))
            Durable.FsyncFile(file);
        Durable.FsyncDirectory(TempPath);
        if (Directory.Exists(FinalPath))
        {
            if (!replace) throw new IOException($"{FinalPath} already exists; refusing to overwrite it");
            var old = FinalPath + $".old-{Guid.NewGuid():N}";
            Directory.Move(FinalPath, old);
            Directory.Move(TempPath, FinalPath);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(TempPath, FinalPath);
        }
        Durable.FsyncDirectory(Path.GetDirectoryName(FinalPath)!);
        committed = true;
    }

    public void Dispose()
    {
        if (!committed && Directory.Exists(TempPath))
        {
            try { Directory.Delete(TempPath, recursive: true); }
            catch (IOException) { /* best effort: a leftover temp dir is harmless and clearly named */ }
        }
    }
}
