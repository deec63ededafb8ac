namespace Geneformer.Bench.ControlPlane;

/// <summary>CPU time and peak resident memory of another process, from /proc (Linux).</summary>
public static class ProcessUsage
{
    /// <summary>User plus system CPU seconds the process has used (its threads that ended included).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
    }

    /// <summary>File descriptors the process holds open.</summary>
    public static int OpenFiles(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long PeakResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidDataException($"/proc/{pid}/status has no VmHWM line");
    }
}
