using System.Runtime.InteropServices;
using TorchSharp;

namespace Geneformer.Model.Native;

/// <summary>
/// Switches of libtorch's global context (<c>at::globalContext()</c>) that TorchSharp 0.107 does not reach (its
/// <c>use_deterministic_algorithms</c> is marked not implemented). They are called through libtorch's exported C++
/// symbols: a non-virtual member function takes the object as its first argument (Itanium C++ ABI).
/// </summary>
public static unsafe class LibTorchContext
{
    public static void SetDeterministicAlgorithms(bool on)
    {
        var set = (delegate* unmanaged<IntPtr, byte, byte, void>)Export("_ZN2at7Context26setDeterministicAlgorithmsEbb");
        set(Context(), on ? (byte)1 : (byte)0, 0);
    }

    public static bool DeterministicAlgorithms()
    {
        var get = (delegate* unmanaged<IntPtr, byte>)Export("_ZNK2at7Context23deterministicAlgorithmsEv");
        return get(Context()) != 0;
    }

    private static IntPtr Context() => ((delegate* unmanaged<IntPtr>)Export("_ZN2at13globalContextEv"))();

    private static IntPtr Export(string symbol)
    {
        torch.get_num_threads(); // libtorch is loaded once TorchSharp has initialised
        var path = LoadedLibraries.Find("libtorch_cpu.so") ?? throw new InvalidOperationException("libtorch_cpu.so is not loaded in this process");
        return NativeLibrary.TryGetExport(NativeLibrary.Load(path), symbol, out var address)
            ? address
            : throw new EntryPointNotFoundException($"{path} exports no {symbol}: this libtorch's C++ API differs from the one this build knows");
    }
}
