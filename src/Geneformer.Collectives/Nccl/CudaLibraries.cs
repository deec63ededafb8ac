using System.Runtime.InteropServices;
using Geneformer.Model.Native;

namespace Geneformer.Collectives.Nccl;

/// <summary>
/// Finds the CUDA runtime and NCCL for the P/Invokes of this assembly. Many installs carry only versioned names
/// (a PyTorch wheel's <c>nvidia/cuda_runtime/lib/libcudart.so.13</c>, CUDA runtime images' <c>libcudart.so.12</c>), and
/// the copy libtorch already loaded is the one to use: two CUDA runtimes in one process do not share state.
/// </summary>
public static class CudaLibraries
{
    private static int resolverSet;

    public static void UseResolver()
    {
        if (Interlocked.Exchange(ref resolverSet, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, (name, _, _) => name switch
        {
            NcclNative.CudaRt => Load(name, Candidates("libcudart", ["libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"], "cuda_runtime")),
            NcclNative.Lib => Load(name, Candidates("libnccl", ["libnccl.so.2", "libnccl.so"], "nccl")),
            _ => IntPtr.Zero,
        });
    }

    /// <summary>The path of the NCCL library this process would use, or why there is none.</summary>
    public static (string? Path, string? Error) FindNccl()
    {
        foreach (var c in Candidates("libnccl", ["libnccl.so.2", "libnccl.so"], "nccl"))
            if (NativeLibrary.TryLoad(c, out _)) return (LoadedLibraries.Find("libnccl") ?? c, null);
        return (null, "libnccl.so.2 is not loaded, not on the library path, and not beside the libtorch in use");
    }

    /// <summary>
    /// Where to look, in order: a copy already loaded (by libtorch), the names on the library path, the nvidia-*
    /// wheel folder beside an external libtorch (<c>site-packages/nvidia/{wheel}/lib</c>), then <c>/usr/local/cuda</c>.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string prefix, string[] names, string wheel, string? libtorchFolder = null, string? loaded = null)
    {
        var list = new List<string>();
        if ((loaded ?? LoadedLibraries.Find(prefix)) is { } inProcess) list.Add(inProcess);
        list.AddRange(names);
        if ((libtorchFolder ?? LibTorchLoader.Loaded?.Folder) is { } lib)
        {
            var dir = Path.GetFullPath(Path.Combine(lib, "..", "..", "nvidia", wheel, "lib"));
            if (Directory.Exists(dir)) list.AddRange(Directory.GetFiles(dir, prefix + ".so*").OrderDescending(StringComparer.Ordinal));
        }
        foreach (var dir in new[] { "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib" })
            if (Directory.Exists(dir)) list.AddRange(Directory.GetFiles(dir, prefix + ".so*").OrderDescending(StringComparer.Ordinal));
        return list;
    }

    private static IntPtr Load(string name, IReadOnlyList<string> candidates)
    {
        foreach (var c in candidates)
            if (NativeLibrary.TryLoad(c, out var handle)) return handle;
        throw new DllNotFoundException($"{name}: none of {string.Join(", ", candidates)} loads; put the CUDA runtime and NCCL on LD_LIBRARY_PATH or point GENEFORMER_LIBTORCH at a CUDA PyTorch's torch/lib");
    }
}
