using Geneformer.Data.Medians;

namespace Geneformer.Data.Tests;

public class MedianAccumulatorTests
{
    [Fact]
    public void ExactMedianFollowsNumpy()
    {
        var m = new ExactMedianAccumulator();
        foreach (var v in new[] { 5.0, 1.0, 3.0 }) m.Add(0, v);
        foreach (var v in new[] { 4.0, 1.0, 3.0, 2.0 }) m.Add(2000, v);
        Assert.Equal(3.0, m.Median(0));
        Assert.Equal(2.5, m.Median(2000));
        Assert.True(double.IsNaN(m.Median(1)));
        Assert.Equal(0, m.Count(99999));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1001)]
    [InlineData(20000)]
    public void SketchIsWithinItsStatedRelativeAccuracyOfExact(int n)
    {
        var rng = new Random(n);
        var exact = new ExactMedianAccumulator();
        var sketch = new RelativeErrorMedianSketch(0.005);
        for (int g = 0; g < 20; g++)
            for (int i = 0; i < n; i++)
            {
                // log-normal over 4 decades, like normalised expression
                var v = Math.Exp(rng.NextDouble() * 9 - 2 + g * 0.1);
                exact.Add(g, v);
                sketch.Add(g, v);
            }
        for (int g = 0; g < 20; g++)
        {
            Assert.Equal(exact.Count(g), sketch.Count(g));
            var e = exact.Median(g);
            Assert.InRange(sketch.Median(g), e * (1 - 0.005), e * (1 + 0.005));
        }
    }

    [Fact]
    public void MergedSketchesEqualOneSketchOfEverything()
    {
        var rng = new Random(3);
        var all = new RelativeErrorMedianSketch();
        var parts = new[] { new RelativeErrorMedianSketch(), new RelativeErrorMedianSketch(), new RelativeErrorMedianSketch() };
        var exactAll = new ExactMedianAccumulator();
        var exactParts = new[] { new ExactMedianAccumulator(), new ExactMedianAccumulator() };
        for (int i = 0; i < 30000; i++)
        {
            var g = rng.Next(50);
            var v = Math.Exp(rng.NextDouble() * 12 - 6);
            all.Add(g, v);
            parts[i % 3].Add(g, v);
            exactAll.Add(g, v);
            exactParts[i % 2].Add(g, v);
        }
        parts[0].Merge(parts[1]);
        parts[0].Merge(parts[2]);
        exactParts[0].Merge(exactParts[1]);
        for (int g = 0; g < 50; g++)
        {
            Assert.Equal(all.Median(g), parts[0].Median(g));
            Assert.Equal(exactAll.Median(g), exactParts[0].Median(g));
        }
        Assert.Throws<ArgumentException>(() => all.Merge(new RelativeErrorMedianSketch(0.01)));
        Assert.Throws<ArgumentOutOfRangeException>(() => all.Add(0, 0));
    }

    [Fact]
    public void Auto_is_exact_for_small_corpora_and_the_bounded_sketch_beyond()
    {
        Assert.Equal(MedianMethod.Exact, MedianAccumulators.Resolve(MedianMethod.Auto, MedianAccumulators.AutoExactMaxCells));
        Assert.Equal(MedianMethod.Sketch, MedianAccumulators.Resolve(MedianMethod.Auto, MedianAccumulators.AutoExactMaxCells + 1));
        Assert.Equal(MedianMethod.Exact, MedianAccumulators.Resolve(MedianMethod.Exact, 23_000_000));
        Assert.Equal(MedianMethod.Sketch, MedianAccumulators.Resolve(MedianMethod.Sketch, 10));
        Assert.Equal(MedianMethod.Auto, MedianAccumulators.Parse("auto"));
        Assert.IsType<RelativeErrorMedianSketch>(MedianAccumulators.Create(MedianAccumulators.Resolve(MedianMethod.Auto, 1_000_000)));
    }
}
