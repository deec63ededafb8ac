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
        ("coordinator", "Run the Akka.NET coordinator (rendezvous, data plan, checkpoint commits, status API).", "#6"),
        ("worker", "Run one training rank as an Akka.NET cluster worker.", "#6"),
        ("status", "Show every worker's status from a coordinator.", "#6"),
        ("embed", "Compute cell embeddings (.npy) from an .h5ad file with a checkpoint.", "#8"),
        ("eval", "Held-out MLM loss and the cell-type classification benchmark.", "#8"),
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
