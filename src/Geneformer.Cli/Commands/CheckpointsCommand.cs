using System.CommandLine;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer checkpoints list|verify DIR</c>.</summary>
public static class CheckpointsCommand
{
    public static Command Create()
    {
        var command = new Command("checkpoints", "List checkpoints, or verify every file of every checkpoint against its manifest");
        command.Subcommands.Add(Sub("list", "List checkpoints (newest first) with step, validation loss, state and which one 'latest' names", verifyAll: false));
        command.Subcommands.Add(Sub("verify", "Verify every checksum of every checkpoint; exit 1 if any fails", verifyAll: true));
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
