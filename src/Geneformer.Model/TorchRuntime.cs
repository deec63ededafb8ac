using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>Device selection and process-wide torch settings.</summary>
public static class TorchRuntime
{
    /// <summary>"cpu", "cuda", "cuda:N" or "auto" (CUDA when available).</summary>
    public static Device ResolveDevice(string name)
    {
        if (name == "auto") return cuda.is_available() ? CUDA : CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new InvalidOperationException($"device '{name}' was asked for, but CUDA is not available: " + WhyNoCuda());
            return new Device(name);
        }
        if (name == "cpu") return CPU;
        throw new ArgumentException($"device '{name}' is not known; expected cpu, cuda, cuda:N or auto");
    }

    /// <summary>As <see cref="ResolveDevice"/>, for one of several ranks on a node: "cuda" and "auto" mean the rank's own GPU, cuda:LOCAL_RANK.</summary>
    public static Device ResolveDevice(string name, int? localRank)
    {
        var device = ResolveDevice(name);
        return localRank is { } local && name is "cuda" or "auto" && device.type == DeviceType.CUDA ? ResolveDevice($"cuda:{local}") : device;
    }

    private static string WhyNoCuda() =>
        Native.LibTorchLoader.CudaLoadError is { } error ? $"the CUDA libraries of {Native.LibTorchLoader.Loaded?.Folder} did not load ({error})"
        : Native.LibTorchLoader.Loaded is { } external ? $"the libtorch at {external.Folder} found no usable GPU (geneformer doctor shows the driver and devices)"
        : BuildBackend == "cpu" ? "this build carries the CPU libtorch; point GENEFORMER_LIBTORCH at a CUDA PyTorch's torch/lib (or 'python'), or build with -p:TorchBackend=cuda"
        : "libtorch found no usable GPU (geneformer doctor shows the driver and devices)";

#if TORCH_CUDA
    public const string BuildBackend = "cuda";
#else
    public const string BuildBackend = "cpu";
#endif

    /// <summary>
    /// Deterministic algorithms on or off. cuBLAS reads CUBLAS_WORKSPACE_CONFIG from the C environment when its first
    /// handle is made, so it is set there (.NET's own environment is not the C one) before any CUDA work.
    /// </summary>
    public static void SetDeterministic(bool on)
    {
        if (on && Native.CEnvironment.Get(CublasWorkspace) is null) Native.CEnvironment.Set(CublasWorkspace, ":4096:8");
        Native.LibTorchContext.SetDeterministicAlgorithms(on);
    }

    public const string CublasWorkspace = "CUBLAS_WORKSPACE_CONFIG";

    /// <summary>Fixes the intra-op thread count (results are bit-identical only for a fixed count).</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }
}
