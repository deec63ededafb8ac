namespace Geneformer.Training.Tests;

public class LrScheduleTests
{
    [Fact]
    public void Warms_up_linearly_holds_then_decays_by_cosine_to_one_hundredth()
    {
        var s = new LrSchedule(1e-3, WarmupSteps: 10, HoldSteps: 5, DecaySteps: 100, MinLrRatio: 0.01);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3, s.At(9), 12);
        Assert.Equal(1e-3, s.At(14), 12);
        Assert.Equal(1e-3, s.At(15), 12);
        Assert.Equal(1e-5 + (1e-3 - 1e-5) * 0.5, s.At(65), 12);
        Assert.Equal(1e-5, s.At(115), 12);
        Assert.Equal(1e-5, s.At(10_000), 12);
    }
}
