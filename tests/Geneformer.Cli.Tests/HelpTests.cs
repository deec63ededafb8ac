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
        "demo", "model info", "import", "prepare", "generate", "bench", "checkpoints list", "checkpoints verify", "checkpoints to-pytorch", "checkpoints from-pytorch", "corpus verify", "pretrain", "worker",
        "coordinator", "status", "embed", "eval mlm", "eval celltype", "eval training", "submit", "doctor");

    /// <summary>docs/commands.md is every command's current --help, in the order of <see cref="Leaves"/>.</summary>
    [Fact]
    public void The_command_reference_is_the_current_help_of_every_command()
    {
        var expected = new System.Text.StringBuilder();
        foreach (string command in Leaves)
        {
            var r = GeneformerProcess.Run([.. command.Split(' '), "--help"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            expected.Append($"\n## geneformer {command}\n\n```\n{r.StdOut}```\n");
        }
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "commands.md"));
        var reference = page[(page.IndexOf("\n## geneformer ", StringComparison.Ordinal) is var first and >= 0 ? first : 0)..]; // after the page's introduction
        Assert.True(expected.ToString() == reference, "docs/commands.md is not the current --help of every command: run tools/docs/commands-reference.sh");
    }

    /// <summary>The README and the pages under docs/, where every knob is documented.</summary>
    private static string Documentation() => string.Join("\n",
        new[] { Path.Combine(RepoPaths.Root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md")).Select(File.ReadAllText));

    /// <summary>Every knob a user may turn is in --help (System.CommandLine lists it) and in the documentation.</summary>
    [Theory]
    [MemberData(nameof(Leaves))]
    public void Every_option_in_help_is_documented(string command)
    {
        var r = GeneformerProcess.Run([.. command.Split(' '), "--help"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var options = Regex.Matches(r.StdOut, @"^\s+(?:-\S, )?(--[a-z0-9-]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
            .Where(o => o != "--help").Distinct().ToList();
        Assert.NotEmpty(options);
        var docs = Documentation();
        var missing = options.Where(o => !Regex.IsMatch(docs, $"(?<![a-z0-9-]){Regex.Escape(o)}(?![a-z0-9-])")).ToList();
        Assert.True(missing.Count == 0, $"{command}: neither README.md nor docs/ mention {string.Join(", ", missing)}");
    }

    /// <summary>The keys of every file under cluster-configs, and every key a training or model config may hold, are in the documentation.</summary>
    [Fact]
    public void Every_config_key_is_documented()
    {
        static IEnumerable<string> Keys(System.Text.Json.JsonElement e) => e.ValueKind != System.Text.Json.JsonValueKind.Object ? []
            : e.EnumerateObject().SelectMany(p => (IEnumerable<string>)[p.Name, .. Keys(p.Value)]);
        static IEnumerable<string> JsonNames(Type t) => t.GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false).Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().SingleOrDefault()?.Name)
            .OfType<string>();
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "cluster-configs"), "*.json", SearchOption.AllDirectories);
        var keys = files.SelectMany(f => Keys(System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement))
            .Concat(JsonNames(typeof(Geneformer.Training.TrainingConfig))).Concat(JsonNames(typeof(Geneformer.Model.BertConfig))).Distinct().ToList();
        Assert.Contains("length_grouping", keys);
        var docs = Documentation();
        var missing = keys.Where(k => !Regex.IsMatch(docs, $"(?<![a-z0-9_]){Regex.Escape(k)}(?![a-z0-9_])")).ToList();
        Assert.True(missing.Count == 0, $"neither README.md nor docs/ mention {string.Join(", ", missing)}");
    }
}
