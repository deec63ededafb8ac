namespace Geneformer.Model.Native;

/// <summary>The shared libraries mapped into this process (from /proc/self/maps): which copy of a library is in use.</summary>
public static class LoadedLibraries
{
    public static IReadOnlyList<string> Paths()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return [];
        var paths = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            if (path.Contains(".so", StringComparison.Ordinal) && seen.Add(path)) paths.Add(path);
        }
        return paths;
    }

    /// <summary>The first loaded library whose file name starts with <paramref name="prefix"/> (e.g. "libtorch_cpu.so", "libcudart").</summary>
    public static string? Find(string prefix) => FindAll(prefix).FirstOrDefault();

    public static IReadOnlyList<string> FindAll(string prefix) => Paths().Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal)).ToArray();
}
