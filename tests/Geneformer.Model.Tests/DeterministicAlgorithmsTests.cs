using Geneformer.Model.Native;

namespace Geneformer.Model.Tests;

[Collection(nameof(DeterministicAlgorithmsTests))]
public class DeterministicAlgorithmsTests
{
    [Fact]
    public void Deterministic_algorithms_switch_on_and_off_in_libtorch_and_cublas_gets_its_fixed_workspace()
    {
        Assert.False(LibTorchContext.DeterministicAlgorithms());
        try
        {
            TorchRuntime.SetDeterministic(true);
            Assert.True(LibTorchContext.DeterministicAlgorithms());
            Assert.Equal(":4096:8", CEnvironment.Get(TorchRuntime.CublasWorkspace));
        }
        finally
        {
            TorchRuntime.SetDeterministic(false);
        }
        Assert.False(LibTorchContext.DeterministicAlgorithms());
    }
}
