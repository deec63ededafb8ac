using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void Native_libtorch_loads_and_computes_a_matrix_product()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
