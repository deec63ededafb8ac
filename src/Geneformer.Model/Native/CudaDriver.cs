using System.Runtime.InteropServices;
using System.Text;

namespace Geneformer.Model.Native;

/// <summary>
/// The NVIDIA driver's own API (libcuda.so.1, installed with the driver under one name everywhere): the driver's
/// version and the GPUs this process may use (after CUDA_VISIBLE_DEVICES), without loading any CUDA runtime.
/// </summary>
public static partial class CudaDriver
{
    private const string Lib = "libcuda.so.1";

    [LibraryImport(Lib)] private static partial int cuInit(uint flags);
    [LibraryImport(Lib)] private static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib)] private static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Lib)] private static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib)] private static unsafe partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib, EntryPoint = "cuDeviceTotalMem_v2")] private static partial int cuDeviceTotalMem(out nuint bytes, int device);

    /// <summary>The driver's CUDA version (e.g. "13.0") and its devices, or why there are none.</summary>
    public static (string? Version, IReadOnlyList<CudaDevice> Devices, string? Error) Query()
    {
        if (!NativeLibrary.TryLoad(Lib, out _)) return (null, [], "no NVIDIA driver: libcuda.so.1 is not on this machine's library path");
        try
        {
            if (cuInit(0) is var init and not 0) return (null, [], $"the NVIDIA driver did not initialise (cuInit error {init})");
            Check(cuDriverGetVersion(out var v), "cuDriverGetVersion");
            Check(cuDeviceGetCount(out var count), "cuDeviceGetCount");
            var devices = new List<CudaDevice>();
            for (var i = 0; i < count; i++)
            {
                Check(cuDeviceGet(out var dev, i), "cuDeviceGet");
                Check(cuDeviceTotalMem(out var bytes, dev), "cuDeviceTotalMem");
                devices.Add(new CudaDevice(i, Name(dev), (long)bytes));
            }
            return ($"{v / 1000}.{v % 1000 / 10}", devices, count == 0 ? "the NVIDIA driver reports no GPU (CUDA_VISIBLE_DEVICES may hide them)" : null);
        }
        catch (InvalidOperationException e)
        {
            return (null, [], e.Message);
        }
    }

    private static unsafe string Name(int device)
    {
        var buffer = stackalloc byte[256];
        Check(cuDeviceGetName(buffer, 256, device), "cuDeviceGetName");
        return Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, 256).IndexOf((byte)0) is var n and >= 0 ? n : 256);
    }

    private static void Check(int result, string call)
    {
        if (result != 0) throw new InvalidOperationException($"{call} failed (CUDA driver error {result})");
    }
}
