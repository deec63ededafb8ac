using System.Text.RegularExpressions;
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

    public static TheoryData<string> Leaves => new(
        "demo", "model info", "import", "prepare", "generate", "bench", "checkpoints list", "checkpoints verify", "pretrain", "worker",
        "coordinator", "status", "embed", "eval mlm", "eval celltype", "submit");

    /// <summary>Every knob a user may turn is in --help (System.CommandLine lists it) and in the README.</summary>
    [Theory]
    [MemberData(nameof(Leaves))]
    public void Every_option_in_help_is_documented_in_the_readme(string command)
    {
        var r = GeneformerProcess.Run([.. command.Split(' '), "--help"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var options = Regex.Matches(r.StdOut, @"^\s+(?:-\S, )?(--[a-z0-9-]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
            .Where(o => o != "--help").Distinct().ToList();
        Assert.NotEmpty(options);
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var missing = options.Where(o => !Regex.IsMatch(readme, $"(?<![a-z0-9-]){Regex.Escape(o)}(?![a-z0-9-])")).ToList();
        Assert.True(missing.Count == 0, $"{command}: README.md does not mention {string.Join(", ", missing)}");
    }
}
