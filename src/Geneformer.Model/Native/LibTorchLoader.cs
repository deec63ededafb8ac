using System.Reflection;
using TorchSharp;

namespace Geneformer.Model.Native;

/// <summary>
/// Loads libtorch from a <see cref="LibTorchLocation"/> before TorchSharp initialises: its libraries are opened by
/// path, then this build's <c>libLibTorchSharp.so</c> is bound to them with every symbol resolved at once. TorchSharp's
/// own lookups (by library name) then find these copies, already loaded under their names. A build that carries its
/// own libtorch cannot do this: TorchSharp would find that copy beside the program first and load a second libtorch.
/// </summary>
public static class LibTorchLoader
{
    /// <summary>The external libtorch in use, or null when the build's own is.</summary>
    public static LibTorchLocation? Loaded { get; private set; }

    /// <summary>Why the external libtorch's CUDA libraries did not load (null when they did or it has none).</summary>
    public static string? CudaLoadError { get; private set; }

    /// <summary>The libtorch version this build's TorchSharp was built against.</summary>
    public static string BuiltFor =>
        typeof(LibTorchLoader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value ?? "unknown";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Loads the libtorch <c>GENEFORMER_LIBTORCH</c> names, if any. Call first thing, before any TorchSharp call.</summary>
    public static void LoadFromEnvironment()
    {
        if (LibTorchLocation.FromEnvironment() is { } location) Load(location);
        else if (OwnLibTorch() is null && LibTorchSharpExists())
            throw new InvalidOperationException($"this build carries no libtorch (the bundle without it): set {LibTorchLocation.Variable} to a PyTorch install's torch/lib folder, or to 'python' to use python3's torch");
    }

    private static bool LibTorchSharpExists()
    {
        try { LibTorchSharpPath(); return true; }
        catch (FileNotFoundException) { return false; }
    }

    public static void Load(LibTorchLocation location)
    {
        if (Loaded is not null) return;
        CheckVersion(location);
        if (OwnLibTorch() is { } own)
            throw new InvalidOperationException($"{LibTorchLocation.Variable}={location.Setting}: this build carries its own libtorch ({own}), which TorchSharp would load beside the one named; " +
                "use the bundle without libtorch (tools/bundle.sh --flavour external) or unset the variable");
        var what = $"{LibTorchLocation.Variable}={location.Setting}: libtorch {location.Version ?? "(version unknown)"} at {location.Folder}";
        foreach (var lib in new[] { "libc10.so", "libtorch_cpu.so" })
            Open(lib, Path.Combine(location.Folder, lib), what);
        if (File.Exists(Path.Combine(location.Folder, "libtorch_cuda.so"))) LoadCuda(location.Folder);
        Open("libtorch.so", Path.Combine(location.Folder, "libtorch.so"), what);

        var sharp = LibTorchSharpPath();
        if (!NativeLoader.TryOpenNow(sharp, out _, out var error))
            throw new InvalidOperationException($"{what} does not fit this build's TorchSharp {TorchSharpVersion} (built for libtorch {BuiltFor}): {error}");

        var copies = LoadedLibraries.FindAll("libtorch_cpu.so");
        if (copies.Count > 1)
            throw new InvalidOperationException($"{what}: a second libtorch was loaded beside it ({string.Join(", ", copies)}); its libraries' names do not match what libLibTorchSharp.so asks for");

        Loaded = location;
    }

    /// <summary>
    /// libLibTorchSharp binds libtorch's C++ API, which changes between minor versions: a libtorch older than the
    /// one TorchSharp was built for lacks symbols it needs. A later 2.x may work; the symbol check decides.
    /// </summary>
    public static void CheckVersion(LibTorchLocation location)
    {
        if (ParseMajorMinor(location.Version) is not { } found || ParseMajorMinor(BuiltFor) is not { } built) return;
        if (found.Major != built.Major || found.Minor < built.Minor)
            throw new InvalidOperationException(
                $"{LibTorchLocation.Variable}={location.Setting}: libtorch {location.Version} at {location.Folder} cannot run this build's TorchSharp {TorchSharpVersion}, " +
                $"built for libtorch {BuiltFor}: it needs libtorch {built.Major}.{built.Minor} or a later {built.Major}.x");
    }

    public static (int Major, int Minor)? ParseMajorMinor(string? version)
    {
        if (version is null) return null;
        var parts = version.Split('.', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], out var major)) return null;
        var minorDigits = new string(parts[1].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(minorDigits, out var minor) ? (major, minor) : null;
    }

    private static void Open(string name, string path, string what)
    {
        if (!NativeLoader.TryOpenNow(path, out _, out var error))
            throw new InvalidOperationException($"{what}: cannot load {name}: {error}");
    }

    /// <summary>
    /// A pip-installed CUDA PyTorch finds its CUDA libraries in the nvidia-* wheels beside it; when its own paths do
    /// not reach them, they are opened first (dependencies among them resolved by retrying until nothing more loads).
    /// A failure leaves CUDA unavailable with the reason kept, not the CPU path broken.
    /// </summary>
    private static void LoadCuda(string folder)
    {
        var cudaLibs = new[] { "libc10_cuda.so", "libtorch_cuda.so" };
        if (TryOpenAll(folder, cudaLibs, out var error)) return;
        var nvidia = Path.GetFullPath(Path.Combine(folder, "..", "..", "nvidia"));
        var pending = Directory.Exists(nvidia)
            ? Directory.GetDirectories(nvidia).Select(d => Path.Combine(d, "lib")).Where(Directory.Exists)
                .SelectMany(d => Directory.GetFiles(d, "lib*.so*")).OrderBy(p => p, StringComparer.Ordinal).ToList()
            : [];
        for (var progress = true; progress && pending.Count > 0;)
        {
            progress = false;
            foreach (var lib in pending.ToArray())
                if (NativeLoader.TryOpenNow(lib, out _, out _)) { pending.Remove(lib); progress = true; }
        }
        if (!TryOpenAll(folder, cudaLibs, out error)) CudaLoadError = error;
    }

    private static bool TryOpenAll(string folder, string[] names, out string? error)
    {
        foreach (var name in names)
        {
            if (!NativeLoader.TryOpenNow(Path.Combine(folder, name), out _, out error)) return false;
        }
        error = null;
        return true;
    }

    /// <summary>The libtorch this build carries beside the program, if any.</summary>
    public static string? OwnLibTorch() =>
        new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(d => Path.Combine(d, "libtorch_cpu.so")).FirstOrDefault(File.Exists);

    /// <summary>This build's libLibTorchSharp.so: beside the program (RID-specific publish) or under runtimes/linux-x64/native.</summary>
    private static string LibTorchSharpPath()
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"libLibTorchSharp.so is not in {AppContext.BaseDirectory} or its runtimes/linux-x64/native folder: the build is incomplete");
    }
}
