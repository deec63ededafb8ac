using Geneformer.TestSupport;
namespace Geneformer.Cli.Tests;

public class HelpTests
{
    public static TheoryData<string> Commands => new(
        "prepare", "pretrain", "coordinator", "worker", "status", "checkpoints", "embed", "eval", "import", "submit", "bench", "model", "demo");

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_of_the_contract_exists_and_has_help(string command)
    {
        var r = GeneformerProcess.Run(command, "--help");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains(command, r.StdOut);
    }
}
