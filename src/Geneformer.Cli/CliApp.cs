using System.CommandLine;
using Geneformer.Cli.Commands;
using Geneformer.Common;
using Geneformer.Common.Logging;
using Geneformer.Data.Matrix;
using Geneformer.Model.Native;

namespace Geneformer.Cli;

/// <summary>The <c>geneformer</c> command: one subcommand per file under Commands/.</summary>
public static class CliApp
{
    /// <summary>Every command's console as plain lines or JSON lines; the processes a command starts inherit it.</summary>
    private static readonly Option<string> LogFormatOption = new("--log-format")
    {
        Description = $"Console output: text, or json (one object per line with time, level, rank, node, generation and message, for log collectors); default ${LogFormat.Variable} or text",
        Recursive = true,
        DefaultValueFactory = _ => LogFormat.Inherited,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Geneformer.Distributed: prepare single-cell corpora, pretrain Geneformer across GPU nodes, and use the model.");
        root.Options.Add(LogFormatOption);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(PrepareCommand.Create(choices => path => CellSources.Open(path, new CellSourceOptions { Matrix = choices.Matrix ?? "auto", GeneIdColumn = choices.GeneIdColumn, SymbolToEnsembl = choices.SymbolToEnsembl })));
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CheckpointsCommand.Create());
        root.Subcommands.Add(CorpusCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(CoordinatorCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(SimulateRanksCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        HostAllocator.KeepFreedPages();
        var parse = Build().Parse(args);
        try
        {
            LogFormat.Apply(parse.GetValue(LogFormatOption)!);
        }
        catch (ArgumentException e)
        {
            CliErrors.Report(e);
            return ExitCodes.BadInput;
        }
        try
        {
            LibTorchLoader.LoadFromEnvironment();
            if (LibTorchLoader.Loaded is { } external)
                Console.Error.WriteLine($"libtorch {external.Version ?? "(version unknown)"} from {external.Folder} ({LibTorchLocation.Variable}={external.Setting})");
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            if (args.FirstOrDefault() != "doctor")
            {
                CliErrors.Report(e);
                return ExitCodes.EnvironmentUnusable;
            }
            Doctor.DoctorReport.LibTorchProblem = CliErrors.Message(e); // doctor shows everything else, then this
        }
        var renamed = RenamedOption.Errors(parse).ToList();
        foreach (var error in renamed) Console.Error.WriteLine($"error: {error}");
        if (renamed.Count > 0) return ExitCodes.BadInput;
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            CliErrors.Report(e);
            return ExitCodes.BadInput;
        }
    }
}
