using System.CommandLine;

namespace Geneformer.Cli.Commands;

/// <summary>
/// Commands of the product contract whose capability is not built yet. Each says so plainly and exits
/// with <see cref="ExitCodes.NotAvailable"/>; none pretends to work. Each moves to its own file when built.
/// </summary>
public static class PendingCommands
{
    private static readonly (string Name, string Description, string Issue)[] Pending =
    [
        ("submit", "Render and submit the Slurm batch script for multi-node pretraining.", "#7"),
    ];

    public static IEnumerable<Command> Create()
    {
        foreach (var (name, description, issue) in Pending)
        {
            var command = new Command(name, description + $" [not available yet: issue {issue}]");
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction(_ =>
            {
                Console.Error.WriteLine($"geneformer {name}: not available yet in this build (tracked as issue {issue}).");
                return ExitCodes.NotAvailable;
            });
            yield return command;
        }
    }
}
