using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Geneformer.Collectives;

/// <summary>The address of a tensor's first element, for handing to MPI or NCCL: libtorch's own <c>data_ptr()</c> (storage base plus offset), for every dtype.</summary>
public static partial class TensorPointer
{
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr tensor);

    public static IntPtr Of(Tensor t)
    {
        var p = THSTensor_data(t.Handle);
        if (p == IntPtr.Zero && t.numel() > 0) throw new InvalidOperationException($"no data pointer for a {t.dtype} tensor on {t.device}");
        return p;
    }
}
