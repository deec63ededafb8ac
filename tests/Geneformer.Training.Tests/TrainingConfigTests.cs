namespace Geneformer.Training.Tests;

public class TrainingConfigTests
{
    [Fact]
    public void Overrides_set_any_key_with_json_values_or_bare_strings()
    {
        var c = new TrainingConfig().WithOverrides(["length_grouping=false", "warmup_steps=7", "lr=2e-4", "device=cuda:1", "precision=null", "model=\"tiny\""]);
        Assert.False(c.LengthGrouping);
        Assert.Equal(7, c.WarmupSteps);
        Assert.Equal(2e-4, c.LearningRate);
        Assert.Equal("cuda:1", c.Device);
        Assert.Null(c.Precision);
        Assert.Equal("tiny", c.Model);
        Assert.Equal(new TrainingConfig(), new TrainingConfig().WithOverrides([]));
    }

    [Theory]
    [InlineData("length_groupin=false", "unknown training config key 'length_groupin'")]
    [InlineData("warmup_steps=soon", "'soon' is not a valid value for 'warmup_steps'")]
    [InlineData("warmup_steps", "expected KEY=VALUE")]
    public void A_bad_override_names_the_key_and_what_was_expected(string assignment, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => new TrainingConfig().WithOverrides([assignment]));
        Assert.Contains(expected, e.Message);
        Assert.Contains(assignment, e.Message);
    }
}
