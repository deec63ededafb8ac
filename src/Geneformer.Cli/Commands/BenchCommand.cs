using System.CommandLine;
using Geneformer.Cli.Bench;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer bench</c>: measures each stage and prints one line (or one JSON object) per figure.</summary>
public static class BenchCommand
{
    public static readonly string[] Stages = ["tokenize", "model-step", "train-step", "train-step-2-ranks", "allreduce", "embed"];

    public static Command Create()
    {
        var only = new Option<string[]>("--only") { Description = $"Stages to run (default: all): {string.Join(", ", Stages)}", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of text" };
        var config = new Option<string>("--config") { Description = "Model preset for the model/training stages", DefaultValueFactory = _ => "geneformer-10m" };
        var batch = new Option<int>("--batch") { Description = "Micro batch (cells) for the model/training stages", DefaultValueFactory = _ => 8 };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per cell for the model/training stages", DefaultValueFactory = _ => 2048 };
        var steps = new Option<int>("--steps") { Description = "Measured steps for the model/training stages", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured warm-up steps", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var embedCells = new Option<int>("--embed-cells") { Description = "Generated cells for the embed stage", DefaultValueFactory = _ => 256 };
        var embedSeqLen = new Option<int>("--embed-seq-len") { Description = "Tokens per cell for the embed stage (10m and tiny presets)", DefaultValueFactory = _ => 256 };
        var peak = new Option<double>("--peak-tflops") { Description = "Device peak TFLOPS for MFU (default: 1 for CPU; set e.g. 989 for H100 bf16 dense)", DefaultValueFactory = _ => 1.0 };
        var command = new Command("bench", "Benchmark the stages of the system on generated data; one line per figure") { only, json, config, batch, seqLen, steps, warmup, device, threads, peak, embedCells, embedSeqLen };
        command.SetAction(r =>
        {
            var selected = r.GetValue(only) is { Length: > 0 } o ? o : Stages;
            foreach (var s in selected.Where(s => !Stages.Contains(s)))
                throw new ArgumentException($"--only {s}: unknown stage; expected one of {string.Join(", ", Stages)}");
            Geneformer.Model.TorchRuntime.SetThreads(r.GetValue(threads));
            var asJson = r.GetValue(json);
            IEnumerable<BenchFigure> figures = [];
            var step = new ModelStepBenchmark.Options(r.GetValue(config)!, r.GetValue(batch), r.GetValue(seqLen), r.GetValue(steps), r.GetValue(warmup), r.GetValue(device)!, r.GetValue(peak));
            if (selected.Contains("tokenize")) figures = figures.Concat(TokenizeBenchmark.Run(seconds: 3));
            if (selected.Contains("model-step")) figures = figures.Concat(ModelStepBenchmark.Run(step));
            if (selected.Contains("train-step-2-ranks")) figures = figures.Concat(TrainStepBenchmark.RunTwoRanks(step));
            if (selected.Contains("allreduce")) figures = figures.Concat(AllReduceBenchmark.Run(r.GetValue(config)!, Math.Max(5, r.GetValue(steps))));
            if (selected.Contains("train-step")) figures = figures.Concat(TrainStepBenchmark.Run(step));
            if (selected.Contains("embed"))
                figures = figures.Concat(EmbedBenchmark.Run(new(["geneformer-10m", "tiny"], r.GetValue(embedCells), r.GetValue(embedSeqLen), r.GetValue(batch), r.GetValue(device)!)));
            foreach (var f in figures)
                Console.WriteLine(asJson ? f.ToJson() : f.ToText());
            return ExitCodes.Ok;
        });
        return command;
    }
}
