namespace Geneformer.TestSupport;

/// <summary>Locates the real data files in ../shared/data (never copied into the project).</summary>
public static class SharedData
{
    /// <summary>$GENEFORMER_SHARED_DATA, else ../shared/data beside the repository root.</summary>
    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("GENEFORMER_SHARED_DATA");
            var dir = !string.IsNullOrEmpty(fromEnv) ? fromEnv : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data"));
            return Directory.Exists(dir) ? dir : throw new DirectoryNotFoundException($"{dir} not found: the shared data must sit beside the repository (or set GENEFORMER_SHARED_DATA)");
        }
    }

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
