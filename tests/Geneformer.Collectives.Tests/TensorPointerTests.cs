using Geneformer.Collectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Collectives.Tests;

/// <summary>The address handed to MPI and NCCL is the first element's, for every dtype the trainer reduces.</summary>
public class TensorPointerTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 4)]
    [InlineData(ScalarType.BFloat16, 2)]
    [InlineData(ScalarType.Float16, 2)]
    [InlineData(ScalarType.Float64, 8)]
    [InlineData(ScalarType.Int64, 8)]
    public void A_view_points_element_size_times_its_offset_past_its_storage(ScalarType dtype, int elementSize)
    {
        using var whole = arange(0, 32, dtype: dtype);
        using var view = whole.narrow(0, 5, 10);
        Assert.Equal(5, view.storage_offset());
        Assert.Equal(TensorPointer.Of(whole) + 5 * elementSize, TensorPointer.Of(view));
        using var f32 = arange(0, 8, dtype: ScalarType.Float32);
        Assert.Equal((IntPtr)f32.storage<float>().data_ptr(), TensorPointer.Of(f32));
    }

    [Fact]
    public void Writing_through_the_pointer_of_a_bf16_view_changes_that_element()
    {
        using var whole = zeros(8, dtype: ScalarType.BFloat16);
        using var view = whole.narrow(0, 3, 2);
        unsafe { *(ushort*)TensorPointer.Of(view) = 0x3F80; } // 1.0 in bf16
        Assert.Equal([0f, 0, 0, 1, 0, 0, 0, 0], whole.to(ScalarType.Float32).data<float>().ToArray());
    }
}
