using System.CommandLine;
using Geneformer.Common;
using Geneformer.Model;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer import</c>: a Hugging Face Geneformer/BERT folder into a model folder of ours.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Hugging Face model folder: config.json plus model.safetensors or pytorch_model.bin", Required = true };
        var output = new Option<string>("--output") { Description = "Model folder to write (config.json + model.safetensors, Hugging Face names); must not exist", Required = true };
        var command = new Command("import", "Import a Hugging Face Geneformer/BERT checkpoint, mapping parameter names and refusing any it cannot map") { input, output };
        command.SetAction(r =>
        {
            var from = r.GetValue(input)!;
            var to = r.GetValue(output)!;
            using var model = HuggingFaceImport.Load(from);
            ModelFolder.Save(to, model);
            Console.WriteLine($"imported {from} -> {to}: {model.Config.NumLayers} layers, hidden {model.Config.HiddenSize}, {model.ParameterCount():N0} parameters");
            return ExitCodes.Ok;
        });
        return command;
    }
}
