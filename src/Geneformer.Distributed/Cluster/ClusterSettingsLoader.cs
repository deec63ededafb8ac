using Geneformer.Model;
using Microsoft.Extensions.Configuration;

namespace Geneformer.Distributed.Cluster;

/// <summary>Builds <see cref="ClusterSettings"/> from a config file, GENEFORMER_CLUSTER_* environment variables and command-line overrides, in that order of precedence (last wins).</summary>
public static class ClusterSettingsLoader
{
    public const string EnvironmentPrefix = "GENEFORMER_CLUSTER_";
    public const string DefaultProfile = "default";

    /// <param name="nameOrPath">a profile in cluster-configs/cluster (default, test) or a JSON file path</param>
    /// <param name="overrides">keys like <c>status:port</c> → value, from command-line options</param>
    public static ClusterSettings Load(string? nameOrPath, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var file = Resolve(nameOrPath ?? DefaultProfile);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file, optional: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
        var settings = new ClusterSettings();
        try
        {
            configuration.Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
        settings.Validate(file);
        return settings;
    }

    public static string Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var dir = ConfigDirectory.Find("cluster");
        var file = Path.Combine(dir, nameOrPath + ".json");
        if (File.Exists(file)) return file;
        IEnumerable<string?> known = Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order() : [];
        throw new FileNotFoundException($"cluster config '{nameOrPath}' is neither a file nor a profile in {dir} (profiles: {string.Join(", ", known)})");
    }
}
