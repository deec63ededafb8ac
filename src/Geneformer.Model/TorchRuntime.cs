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
                throw new InvalidOperationException($"device '{name}' was asked for, but CUDA is not available (this build uses the {BuildBackend} libtorch; build with -p:TorchBackend=cuda on a GPU machine)");
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

#if TORCH_CUDA
    public const string BuildBackend = "cuda";
#else
    public const string BuildBackend = "cpu";
#endif

    /// <summary>Fixes the intra-op thread count (results are bit-identical only for a fixed count).</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }
}
