namespace Geneformer.Model;

/// <summary>Finds a model preset (cluster-configs/models/NAME.json) by name, or reads a config file by path.</summary>
public static class ModelConfigs
{
    public static BertConfig Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return BertConfig.Load(nameOrPath);
        var dir = ConfigDirectory.Find("models");
        var file = Path.Combine(dir, nameOrPath + ".json");
        if (File.Exists(file)) return BertConfig.Load(file);
        var known = Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order();
        throw new FileNotFoundException($"model config '{nameOrPath}' is neither a file nor a preset in {dir} (presets: {string.Join(", ", known)})");
    }
}
