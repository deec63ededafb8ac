namespace Geneformer.Model;

/// <summary>Locates the <c>cluster-configs</c> folder: $GENEFORMER_CONFIG_DIR, beside the executable, or up from the working directory.</summary>
public static class ConfigDirectory
{
    public const string EnvironmentVariable = "GENEFORMER_CONFIG_DIR";

    public static string Root()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
            return Directory.Exists(fromEnv) ? fromEnv : throw new DirectoryNotFoundException($"{EnvironmentVariable}={fromEnv} does not exist");
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "cluster-configs");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no cluster-configs folder found beside {AppContext.BaseDirectory} or above {Directory.GetCurrentDirectory()}; set {EnvironmentVariable}");
    }

    public static string Find(string sub) => Path.Combine(Root(), sub);
}
