namespace Geneformer.Common.Tests;

public class CliErrorsTests
{
    [Fact]
    public void Bad_input_is_one_line_and_a_defect_in_the_program_keeps_its_stack_trace()
    {
        Assert.True(CliErrors.IsUserError(new InvalidDataException("corpus/manifest.json: 'cells' is -1")));
        Assert.True(CliErrors.IsUserError(new ArgumentException("--threads must be at least 1, not 0")));
        Assert.True(CliErrors.IsUserError(new AggregateException(new FileNotFoundException("model.safetensors"))));
        Assert.False(CliErrors.IsUserError(new ArgumentOutOfRangeException("index")));
        Assert.False(CliErrors.IsUserError(new ArgumentNullException("config")));
        Assert.False(CliErrors.IsUserError(new NullReferenceException()));
        Assert.False(CliErrors.IsUserError(new AggregateException(new FileNotFoundException("a"), new FileNotFoundException("b"))));
        Assert.Equal("model.safetensors", CliErrors.Message(new AggregateException(new FileNotFoundException("model.safetensors"))));
    }
}
