using System.Reflection;

namespace Geneformer.Common;

/// <summary>How to start this program again (for ranks, relays and child processes): the executable, or dotnet and the entry assembly.</summary>
public static class SelfCommand
{
    public static string[] Arguments()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where this program is");
        if (Path.GetFileNameWithoutExtension(process) != "dotnet") return [process];
        var entry = Assembly.GetEntryAssembly()?.Location;
        return string.IsNullOrEmpty(entry) ? throw new InvalidOperationException("cannot tell which assembly dotnet is running") : [process, entry];
    }
}
