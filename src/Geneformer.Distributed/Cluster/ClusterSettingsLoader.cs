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
        // The binder's ErrorOnUnknownConfiguration ignores [ConfigurationKeyName], so unknown keys are checked here.
        var known = KnownKeys(typeof(ClusterSettings), "");
        foreach (var (key, _) in configuration.AsEnumerable().Where(kv => kv.Value is not null))
        {
            var path = string.Join(':', key.Split(':').Where(part => !part.All(char.IsAsciiDigit)));
            if (!known.Contains(path, StringComparer.OrdinalIgnoreCase))
                throw new InvalidDataException($"{file} (or {EnvironmentPrefix}* / command line): unknown setting '{key}'; known: {string.Join(", ", known.Order())}");
        }
        var settings = new ClusterSettings();
        try
        {
            configuration.Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
        settings.Validate(file);
        return settings;
    }

    private static List<string> KnownKeys(Type type, string prefix)
    {
        var keys = new List<string>();
        foreach (var p in type.GetProperties())
        {
            var name = prefix + (p.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? p.Name);
            if (p.PropertyType.IsClass && p.PropertyType != typeof(string) && !p.PropertyType.IsArray) keys.AddRange(KnownKeys(p.PropertyType, name + ":"));
            else keys.Add(name);
        }
        return keys;
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
