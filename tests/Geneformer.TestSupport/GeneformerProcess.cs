

namespace Geneformer.TestSupport;

/// <summary>Runs the real <c>geneformer</c> command (the built geneformer.dll) as a user would, in its own process.</summary>
public static class GeneformerProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "geneformer.dll");

    public static ProcessResult Run(params string[] args) => Run(TimeSpan.FromMinutes(5), args);

    public static ProcessResult Run(TimeSpan timeout, params string[] args) =>
        ProcessRunner.Run("dotnet", [Dll, .. args], timeout, env: new Dictionary<string, string>
        {
            ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs"),
        });
}
