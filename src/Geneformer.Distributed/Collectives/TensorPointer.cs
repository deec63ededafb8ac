using static TorchSharp.torch;

namespace Geneformer.Distributed.Collectives;

/// <summary>The address of a tensor's first element (storage base + offset), for handing to MPI or NCCL.</summary>
public static class TensorPointer
{
    public static IntPtr Of(Tensor t)
    {
        var (baseAddress, elementSize) = t.dtype switch
        {
            ScalarType.Float32 => (t.storage<float>().data_ptr(), 4),
            ScalarType.Float64 => (t.storage<double>().data_ptr(), 8),
            ScalarType.Int64 => (t.storage<long>().data_ptr(), 8),
            ScalarType.Int32 => (t.storage<int>().data_ptr(), 4),
            _ => throw new NotSupportedException($"no pointer access for dtype {t.dtype}"),
        };
        return (IntPtr)((long)baseAddress + t.storage_offset() * elementSize);
    }
}
