using System.Text.RegularExpressions;
using System.Xml.Linq;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>The rules of docs/architecture.md that a build alone does not enforce: which project may reference which, and one public type per file.</summary>
public partial class ProjectLayoutTests
{
    /// <summary>Each project and the projects it references directly (docs/architecture.md, "Rules").</summary>
    private static readonly Dictionary<string, string[]> Layers = new()
    {
        ["Geneformer.Common"] = [],
        ["Geneformer.Data"] = ["Geneformer.Common"],
        ["Geneformer.Model"] = ["Geneformer.Common"],
        ["Geneformer.Training"] = ["Geneformer.Data", "Geneformer.Model"],
        ["Geneformer.Collectives"] = ["Geneformer.Training"],
        ["Geneformer.Distributed"] = ["Geneformer.Collectives"],
        ["Geneformer.Evaluation"] = ["Geneformer.Collectives"],
        ["Geneformer.Bench"] = ["Geneformer.Distributed", "Geneformer.Evaluation"],
        ["Geneformer.Cli"] = ["Geneformer.Bench", "Geneformer.Distributed", "Geneformer.Evaluation"],
    };

    /// <summary>Packages that belong to one layer alone.</summary>
    private static readonly Dictionary<string, string> PackageOwners = new()
    {
        ["Akka."] = "Geneformer.Distributed",
        ["MPI.NET"] = "Geneformer.Collectives",
        ["TorchSharp"] = "Geneformer.Model",
        ["Microsoft.ML"] = "Geneformer.Evaluation",
        ["ScottPlot"] = "Geneformer.Evaluation",
        ["System.CommandLine"] = "Geneformer.Cli",
    };

    private static string Src => Path.Combine(RepoPaths.Root, "src");

    [Fact]
    public void Every_project_references_only_the_layers_below_it_that_the_architecture_names()
    {
        var projects = Directory.GetDirectories(Src).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Layers.Keys.Order(), projects);
        foreach (var (project, allowed) in Layers)
        {
            var references = Items(project, "ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))).Order();
            Assert.True(references.SequenceEqual(allowed.Order()), $"{project} references {string.Join(", ", references)}; docs/architecture.md allows {string.Join(", ", allowed)}");
        }
    }

    [Fact]
    public void The_actor_system_mpi_torch_and_the_command_line_parser_each_stay_in_their_own_layer()
    {
        foreach (var project in Layers.Keys)
            foreach (var package in Items(project, "PackageReference"))
                foreach (var (prefix, owner) in PackageOwners)
                    if (package.StartsWith(prefix, StringComparison.Ordinal))
                        Assert.True(project == owner, $"{project} references the package {package}, which belongs to {owner}");
        var akkaUsers = Directory.EnumerateFiles(Src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && File.ReadLines(f).Any(l => l.StartsWith("using Akka", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(Src, f).Split(Path.DirectorySeparatorChar)[0])
            .Distinct();
        Assert.Equal(["Geneformer.Distributed"], akkaUsers);
    }

    /// <summary>The cluster's messages are the one exception: immutable records kept together in Messages.cs.</summary>
    [Fact]
    public void Every_source_file_holds_one_public_type_named_as_the_file()
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Src, file);
            if (relative.Split(Path.DirectorySeparatorChar).Contains("obj") || Path.GetFileName(file) == "Messages.cs") continue;
            var types = File.ReadLines(file).Select(l => TopLevelPublicType().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
            if (types.Count > 1 || (types.Count == 1 && types[0] != Path.GetFileNameWithoutExtension(file)))
                offenders.Add($"{relative}: {string.Join(", ", types)}");
        }
        Assert.True(offenders.Count == 0, "files whose public types break the rule:\n" + string.Join('\n', offenders));
    }

    private static IEnumerable<string> Items(string project, string item) =>
        XDocument.Load(Path.Combine(Src, project, project + ".csproj")).Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    [GeneratedRegex(@"^public (?:(?:static|sealed|abstract|partial|readonly|unsafe|record) )*(?:class|record|struct|interface|enum|delegate [^ ]+) (\w+)")]
    private static partial Regex TopLevelPublicType();
}
