using System.CommandLine;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer eval</c>: <c>mlm</c> (held-out loss), <c>celltype</c> (the classification benchmark) and <c>training</c> (both, for every checkpoint of a run).</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate pretrained models: held-out MLM loss, and the cell-type classification benchmark");
        command.Subcommands.Add(EvalMlmCommand.Create());
        command.Subcommands.Add(EvalCellTypeCommand.Create());
        command.Subcommands.Add(EvalTrainingCommand.Create());
        return command;
    }
}
