using System.Runtime.InteropServices;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Gives a rank's training a lower CPU priority than its control plane. Linux schedules threads, and a thread's nice
/// value is its own and passes to the threads it creates: lowering the training thread's (after the cluster member's
/// threads have started) lowers everything training starts later (libtorch's pool, the batch prefetcher, the
/// checkpoint writer), while reports, heartbeats and the coordinator keep the default. On a node with a core per
/// thread this changes nothing; on a busy one it keeps a rank's heartbeat from waiting behind its own training.
/// </summary>
public static partial class TrainingPriority
{
    private const int PrioProcess = 0; // with a thread id, Linux applies it to that thread alone

    [LibraryImport("libc.so.6", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc.so.6", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (0 leaves it as it is); false where the system refuses or is not Linux.</summary>
    public static bool LowerCurrentThread(int nice)
    {
        if (nice == 0 || !OperatingSystem.IsLinux()) return false;
        return SetPriority(PrioProcess, GetTid(), nice) == 0;
    }

    /// <summary>The nice value of thread <paramref name="tid"/> of this process (field 19 of /proc/self/task/TID/stat).</summary>
    public static int NiceOf(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16]); // fields after the name start at field 3
    }

    public static int CurrentThreadId() => GetTid();
}
