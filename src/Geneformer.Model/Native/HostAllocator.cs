using System.Runtime.InteropServices;

namespace Geneformer.Model.Native;

/// <summary>
/// Keeps freed C-heap pages in the process. libtorch's CPU tensors are plain malloc/free, and with glibc's defaults a
/// step's activations go back to the kernel when they are freed and come back as fresh, zero-filled pages on the next
/// step: on CPU the page faults cost as much system time as the step's compute. Fixed mmap and trim thresholds
/// (<c>mallopt</c>, the same settings as <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TRIM_THRESHOLD_</c>) keep them
/// mapped for reuse; the process holds its peak heap instead of giving it back between steps.
/// </summary>
public static partial class HostAllocator
{
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>glibc's largest mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX): blocks up to this size come from the heap.</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the top of the heap is given back only above this.</summary>
    public const int TrimThreshold = 1 << 30;

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    /// <summary>What <see cref="KeepFreedPages"/> did: "kept", or why it left the allocator alone.</summary>
    public static string? State { get; private set; }

    /// <summary>
    /// Sets the thresholds, unless the user tunes glibc's malloc (a MALLOC_*_ variable or GLIBC_TUNABLES) or preloads
    /// another allocator (LD_PRELOAD), or this is not Linux with glibc. Returns <see cref="State"/>.
    /// </summary>
    public static string KeepFreedPages()
    {
        if (State is { } done) return done;
        State = WhyLeftAlone() ?? SetThresholds();
        return State;
    }

    private static string? WhyLeftAlone()
    {
        if (!OperatingSystem.IsLinux()) return "left alone: not Linux";
        if (CEnvironment.Get("LD_PRELOAD") is { Length: > 0 } preload) return $"left alone: LD_PRELOAD={preload}";
        if (CEnvironment.Get("GLIBC_TUNABLES") is { Length: > 0 }) return "left alone: GLIBC_TUNABLES is set";
        foreach (var name in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX" })
            if (CEnvironment.Get(name) is { Length: > 0 }) return $"left alone: {name} is set";
        return null;
    }

    private static string SetThresholds()
    {
        try
        {
            // The mmap threshold first: a fixed trim threshold alone also fixes the mmap threshold at its 128 KiB start.
            return MallOpt(MMmapThreshold, MmapThreshold) == 1 && MallOpt(MTrimThreshold, TrimThreshold) == 1
                ? "kept" : "left alone: mallopt refused the thresholds";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "left alone: no glibc mallopt";
        }
    }
}
