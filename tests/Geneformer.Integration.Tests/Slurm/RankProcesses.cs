namespace Geneformer.Integration.Tests.Slurm;

/// <summary>The rank processes (<c>dotnet geneformer.dll pretrain</c>) of one test's run, found by its unique checkpoint path.</summary>
public static class RankProcesses
{
    public static List<int> Of(string checkpoints)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // srun carries the same arguments; the ranks are the dotnet processes.
            if (Path.GetFileName(argv[0]) == "dotnet" && argv.Contains("pretrain") && argv.Contains(checkpoints)) pids.Add(pid);
        }
        return pids;
    }
}
