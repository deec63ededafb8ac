namespace Geneformer.Common.Tests;

public class TextFormatTests
{
    [Theory]
    [InlineData(null, "-")]
    [InlineData(double.NaN, "-")]
    [InlineData(double.PositiveInfinity, "-")]
    [InlineData(0.4, "0s")]
    [InlineData(9.6, "10s")]
    [InlineData(160.0, "2m 40s")]
    [InlineData(3599.6, "1h 00m")]
    [InlineData(3900.0, "1h 05m")]
    [InlineData(90000.0, "25h 00m")]
    public void Durations_read_at_a_glance(double? seconds, string expected) => Assert.Equal(expected, ShortDuration.Format(seconds));

    [Fact]
    public void A_failed_config_check_names_the_source_the_field_its_value_and_what_was_expected()
    {
        var check = new ConfigCheck("cluster-configs/training/custom.json");
        check.Require(true, "micro_batch", 8, "a positive number");
        var e = Assert.Throws<InvalidDataException>(() => check.Require(false, "micro_batch", -1, "a positive number"));
        Assert.Equal("cluster-configs/training/custom.json: 'micro_batch' is -1; expected a positive number", e.Message);
    }
}
