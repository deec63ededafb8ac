using System.CommandLine;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Checkpoints.PyTorch;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer checkpoints list|verify DIR</c>, and conversion to and from a PyTorch training state.</summary>
public static class CheckpointsCommand
{
    public static Command Create()
    {
        var command = new Command("checkpoints", "List checkpoints, verify them against their manifests, or convert one to and from a PyTorch training state");
        command.Subcommands.Add(Sub("list", "List checkpoints (newest first) with step, validation loss, state and which one 'latest' names", verifyAll: false));
        command.Subcommands.Add(Sub("verify", "Verify every checksum of every checkpoint; exit 1 if any fails", verifyAll: true));
        command.Subcommands.Add(ToPyTorch());
        command.Subcommands.Add(FromPyTorch());
        return command;
    }

    private static Command ToPyTorch()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint (step-NNNNNN), or a checkpoint directory: its newest checkpoint that verifies" };
        var output = new Option<string>("--output") { Description = "Folder to write (must not exist): pytorch_model.bin, optimizer.pt, scheduler.pt, config.json, geneformer/", Required = true };
        var command = new Command("to-pytorch", "Write a checkpoint as a PyTorch training state (torch.load-able model, AdamW and LambdaLR state dicts, Hugging Face names)") { checkpoint, output };
        command.SetAction(r =>
        {
            var step = PyTorchExport.Write(r.GetValue(checkpoint)!, r.GetValue(output)!);
            Console.WriteLine($"wrote the PyTorch training state of step {step} to {Path.GetFullPath(r.GetValue(output)!)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FromPyTorch()
    {
        var folder = new Argument<string>("FOLDER") { Description = "A PyTorch training state, as to-pytorch wrote it and a PyTorch stack saved it after training on" };
        var checkpoints = new Option<string>("--checkpoints") { Description = "Checkpoint directory to commit it into, as step-NNNNNN (pretrain --checkpoints ... --resume auto continues from it)", Required = true };
        var command = new Command("from-pytorch", "Commit a PyTorch training state as a checkpoint that pretrain resumes from") { folder, checkpoints };
        command.SetAction(r =>
        {
            var path = PyTorchImport.Write(r.GetValue(folder)!, r.GetValue(checkpoints)!);
            Console.WriteLine($"committed {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sub(string name, string description, bool verifyAll)
    {
        var dir = new Argument<string>("DIR") { Description = "Checkpoint directory (the --checkpoints of pretrain)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per checkpoint" };
        var command = new Command(name, description) { dir, json };
        command.SetAction(r =>
        {
            var root = r.GetValue(dir)!;
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such checkpoint directory");
            var store = new CheckpointStore(root);
            var all = store.List(verify: true);
            var latest = store.LatestPointer();
            foreach (var c in all)
            {
                var state = c.Verified ? "ok" : "CORRUPT: " + string.Join("; ", c.Problems);
                if (r.GetValue(json))
                    Console.WriteLine(JsonSerializer.Serialize(new { step = c.Step, path = c.Path, verified = c.Verified, problems = c.Problems, validation_loss = c.ValidationLoss, latest = c.Step == latest }));
                else
                    Console.WriteLine($"{Path.GetFileName(c.Path),-14} {(c.ValidationLoss is { } v ? $"val_loss {v:0.0000}" : "val_loss -"),-18} {(c.Step == latest ? "latest " : "       ")}{state}");
            }
            if (all.Count == 0) Console.Error.WriteLine($"{root}: no checkpoints");
            if (verifyAll)
            {
                var bad = all.Count(c => !c.Verified);
                Console.Error.WriteLine($"{all.Count - bad} of {all.Count} checkpoints verify");
                return bad == 0 ? ExitCodes.Ok : 1;
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
