using Geneformer.Model;

namespace Geneformer.Training;

/// <summary>Finds a training preset (cluster-configs/training/NAME.json) by name, or reads a file by path.</summary>
public static class TrainingConfigs
{
    public static TrainingConfig Resolve(string nameOrPath) => TrainingConfig.Load(PathOf(nameOrPath));

    /// <summary>The file a training config name or path stands for: the path itself, else the preset of that name.</summary>
    public static string PathOf(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return nameOrPath;
        var dir = ConfigDirectory.Find("training");
        var file = Path.Combine(dir, nameOrPath + ".json");
        if (File.Exists(file)) return file;
        IEnumerable<string?> known = Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order() : [];
        throw new FileNotFoundException($"training config '{nameOrPath}' is neither a file nor a preset in {dir} (presets: {string.Join(", ", known)})");
    }
}
