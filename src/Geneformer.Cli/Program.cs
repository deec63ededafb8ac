using Geneformer.Cli;

return CliApp.Run(args);
