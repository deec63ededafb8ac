using System.Runtime.InteropServices;

namespace Geneformer.Bench;

/// <summary>
/// Drops one folder's files from the operating system's page cache (posix_fadvise POSIX_FADV_DONTNEED; the pages are
/// clean once fsynced), so a following read comes from the storage device, not memory. Touches no other file.
/// </summary>
public static partial class PageCache
{
    private const int PosixFadvDontNeed = 4;

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    /// <returns>true when every file was evicted (false off Linux or when the call fails)</returns>
    public static bool Evict(string directory)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var all = true;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(path);
            all &= PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, PosixFadvDontNeed) == 0;
        }
        return all;
    }
}
