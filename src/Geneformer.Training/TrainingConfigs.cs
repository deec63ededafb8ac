using Geneformer.Model;

namespace Geneformer.Training;

/// <summary>Finds a training preset (cluster-configs/training/NAME.json) by name, or reads a file by path.</summary>
public static class TrainingConfigs
{
    public static TrainingConfig Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return TrainingConfig.Load(nameOrPath);
        var dir = ConfigDirectory.Find("training");
        var file = Path.Combine(dir, nameOrPath + ".json");
        if (File.Exists(file)) return TrainingConfig.Load(file);
        IEnumerable<string?> known = Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order() : [];
        throw new FileNotFoundException($"training config '{nameOrPath}' is neither a file nor a preset in {dir} (presets: {string.Join(", ", known)})");
    }
}
