using System.Diagnostics;

namespace Geneformer.Bench;

public static class ProcessMemory
{
    /// <summary>Resident set size in bytes (native libtorch memory included), after a full managed GC so finalised tensors are freed.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    /// <summary>Peak resident set size (VmHWM) in bytes on Linux, else the current one.</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // "VmHWM:\t  123 kB"
        return ResidentBytes();
    }

    /// <summary>Memory the kernel says new work can use without swapping (MemAvailable), or null where it does not say.</summary>
    public static long? AvailableBytes()
    {
        const string meminfo = "/proc/meminfo";
        if (!File.Exists(meminfo)) return null;
        foreach (var line in File.ReadLines(meminfo))
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return null;
    }

    /// <summary>
    /// Minor page faults of this process so far (/proc/self/stat), or null off Linux: each is a fresh page the kernel
    /// zero-filled, so a steady training step that faults in megabytes is re-acquiring memory it gave back.
    /// </summary>
    public static long? MinorFaults()
    {
        const string stat = "/proc/self/stat";
        if (!File.Exists(stat)) return null;
        var text = File.ReadAllText(stat);
        // after "pid (comm) ": state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt
        return long.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}
