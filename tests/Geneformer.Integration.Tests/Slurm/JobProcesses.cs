namespace Geneformer.Integration.Tests.Slurm;

/// <summary>
/// The geneformer processes (<c>dotnet geneformer.dll COMMAND ...</c>) of one test's run, found by its unique checkpoint
/// path: the ranks (<c>pretrain</c>) or the coordinator (<c>coordinator</c>).
/// </summary>
public static class JobProcesses
{
    public static List<int> Of(string checkpoints, string command = "pretrain")
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
            // srun and setsid carry the same arguments; the geneformer processes are the dotnet ones, and the command is
            // the word after geneformer.dll (the coordinator's own arguments hold the ranks' command line too).
            var dll = Array.FindIndex(argv, a => a.EndsWith("geneformer.dll", StringComparison.Ordinal));
            if (Path.GetFileName(argv[0]) == "dotnet" && dll >= 0 && dll + 1 < argv.Length && argv[dll + 1] == command && argv.Contains(checkpoints)) pids.Add(pid);
        }
        return pids;
    }

    /// <summary>True while process <paramref name="pid"/> exists (a zombie counts as gone).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
