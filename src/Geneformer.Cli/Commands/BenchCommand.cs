using System.CommandLine;
using Geneformer.Bench;
using Geneformer.Bench.ControlPlane;
using Geneformer.Common;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer bench</c>: measures each stage and prints one line (or one JSON object) per figure, as each stage finishes.</summary>
public static class BenchCommand
{
    public static readonly string[] Stages =
    [
        "tokenize", "medians", "model-step", "adamw", "train-step", "train-lengths", "train-step-2-ranks", "allreduce", "embed",
        "loader", "padding", "checkpoint", "trainer-overhead", "pytorch-train-step", "pytorch-embed", "memory",
    ];

    /// <summary>Stages run only when named with --only: they take many minutes and start many processes.</summary>
    public static readonly string[] OnRequest = ["control-plane"];

    public static Command Create()
    {
        var only = new Option<string[]>("--only") { Description = $"Stages to run (default: all of {string.Join(", ", Stages)}); also, only when named: {string.Join(", ", OnRequest)}", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of text" };
        var config = new Option<string>("--model") { Description = "Model preset for the model/training/PyTorch stages", DefaultValueFactory = _ => "geneformer-10m" };
        var batch = new Option<int>("--batch") { Description = "Micro batch (cells) for the model/training/loader/padding/PyTorch stages", DefaultValueFactory = _ => 8 };
        var globalBatch = new Option<long>("--global-batch") { Description = "Global batch (cells) whose cells the loader and padding stages length-group into micro batches (capped at the corpus's train cells)", DefaultValueFactory = _ => 2048 };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per cell for the model/training/PyTorch stages", DefaultValueFactory = _ => 2048 };
        var steps = new Option<int>("--steps") { Description = "Measured steps for the model/training/PyTorch stages", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured warm-up steps", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of the two sides compared (trainer-overhead, pytorch-*), best of each kept; repeats of checkpoint", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto (the pytorch-* stages always run on the CPU)", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var embedCells = new Option<int>("--embed-cells") { Description = "Generated cells for the embed stage", DefaultValueFactory = _ => 256 };
        var embedSeqLen = new Option<int>("--embed-seq-len") { Description = "Tokens per cell for the embed stage (10m and tiny presets)", DefaultValueFactory = _ => 256 };
        var peak = new Option<double>("--peak-tflops") { Description = "Device peak TFLOPS for MFU (default: 1 for CPU; set e.g. 989 for H100 bf16 dense)", DefaultValueFactory = _ => 1.0 };
        var corpus = new Option<string?>("--corpus") { Description = "Prepared corpus for the loader, padding and train-lengths stages (default: generate and prepare one in a temporary folder)" };
        var accumulation = new Option<int>("--accumulation") { Description = "Micro batches of --batch cells a step in the train-lengths stage (its step's cells: batch x accumulation)", DefaultValueFactory = _ => 4 };
        var corpusCells = new Option<int>("--corpus-cells") { Description = "Cells of the generated corpus (loader, padding)", DefaultValueFactory = _ => 4000 };
        var genesPerCell = new Option<int>("--genes-per-cell") { Description = "Mean expressed genes per cell of the generated corpus (±20%)", DefaultValueFactory = _ => 2000 };
        var checkpointConfig = new Option<string>("--checkpoint-model") { Description = "Model preset whose checkpoint is saved and loaded (e.g. geneformer-106m)", DefaultValueFactory = _ => "geneformer-10m" };
        var memoryCells = new Option<int>("--memory-cells") { Description = "Cells of the smaller input of the memory stage", DefaultValueFactory = _ => 2000 };
        var memoryFactor = new Option<int>("--memory-factor") { Description = "How many times larger the second input of the memory stage is", DefaultValueFactory = _ => 10 };
        var memoryGenes = new Option<int>("--memory-genes-per-cell") { Description = "Mean expressed genes per cell of the memory stage's inputs", DefaultValueFactory = _ => 300 };
        var memorySteps = new Option<int>("--memory-steps") { Description = "pretrain steps (tiny preset) in the memory stage", DefaultValueFactory = _ => 5 };
        var cpRanks = new Option<int[]>("--control-plane-ranks") { Description = "World sizes of the control-plane stage", DefaultValueFactory = _ => [64, 256, 1024], AllowMultipleArgumentsPerToken = true };
        var cpNodeSize = new Option<int[]>("--control-plane-node-size") { Description = "Ranks per node (per node agent) in the control-plane stage, one run each; 1 makes every rank a cluster member", DefaultValueFactory = _ => [8], AllowMultipleArgumentsPerToken = true };
        var cpChart = new Option<string?>("--control-plane-chart") { Description = "Draw the control-plane stage's figures by world size into this PNG: this run's and those of --control-plane-figures" };
        var cpFigures = new Option<string[]>("--control-plane-figures") { Description = "Earlier control-plane figures (bench --json output files) for --control-plane-chart", AllowMultipleArgumentsPerToken = true };
        var cpCluster = new Option<string>("--control-plane-cluster") { Description = "Cluster settings of the control-plane stage's coordinator and agents (profile or file)", DefaultValueFactory = _ => "default" };
        var cpStep = new Option<double>("--control-plane-step-s") { Description = "Simulated step time in the control-plane stage", DefaultValueFactory = _ => 1.0 };
        var cpReport = new Option<double?>("--control-plane-report-interval-s") { Description = "Report interval of the simulated ranks (default: the cluster settings' status.report_interval_s)" };
        var cpWindow = new Option<double>("--control-plane-window-s") { Description = "Steady-state window over which reports/s and CPU are measured", DefaultValueFactory = _ => 20 };
        var deterministic = new Option<bool>("--deterministic") { Description = "Deterministic algorithms only (as the training config's deterministic: true), to measure what they cost" };
        var precision = new Option<string>("--precision") { Description = "Compute precision of the pytorch-* stages, the same on both sides: fp32, or bf16 (bf16 matrix products, fp32 weights and optimizer)", DefaultValueFactory = _ => "fp32" };
        precision.AcceptOnlyFromAmong("fp32", "bf16");
        var command = new Command("bench", "Benchmark the stages of the system on generated data; one line per figure")
        {
            only, json, config, batch, globalBatch, seqLen, steps, warmup, rounds, device, threads, precision, peak, embedCells, embedSeqLen,
            corpus, accumulation, corpusCells, genesPerCell, checkpointConfig, memoryCells, memoryFactor, memoryGenes, memorySteps, deterministic,
            cpRanks, cpNodeSize, cpCluster, cpStep, cpReport, cpWindow, cpChart, cpFigures,
        };
        RenamedOption.Refuse(command, "--config", config);
        RenamedOption.Refuse(command, "--checkpoint-config", checkpointConfig);
        command.SetAction(r =>
        {
            var earlier = (r.GetValue(cpFigures) ?? []).SelectMany(f => File.ReadLines(f).Where(l => l.StartsWith('{')).Select(BenchFigure.FromJson)).ToList();
            var selected = r.GetValue(only) is { Length: > 0 } o ? o : earlier.Count > 0 ? [] : Stages;
            foreach (var s in selected.Where(s => !Stages.Contains(s) && !OnRequest.Contains(s)))
                throw new ArgumentException($"--only {s}: unknown stage; expected one of {string.Join(", ", Stages.Concat(OnRequest))}");
            if (r.GetValue(cpNodeSize)!.Any(n => n < 1)) throw new ArgumentException($"--control-plane-node-size {string.Join(' ', r.GetValue(cpNodeSize)!)}: expected 1 or more");
            if (r.GetValue(cpStep) <= 0 || r.GetValue(cpWindow) <= 0 || r.GetValue(cpReport) is <= 0)
                throw new ArgumentException("--control-plane-step-s, --control-plane-window-s and --control-plane-report-interval-s: expected positive seconds");
            (Option<int> Option, int Min)[] counts = [(batch, 1), (seqLen, 1), (steps, 1), (warmup, 0), (rounds, 1), (threads, 0), (embedCells, 1), (embedSeqLen, 1),
                (accumulation, 1), (corpusCells, 1), (genesPerCell, 1), (memoryCells, 1), (memoryFactor, 2), (memoryGenes, 1), (memorySteps, 1)];
            foreach (var (option, min) in counts)
                if (r.GetValue(option) < min) throw new ArgumentException($"{option.Name} {r.GetValue(option)}: expected {min} or more");
            if (r.GetValue(globalBatch) < 1) throw new ArgumentException($"--global-batch {r.GetValue(globalBatch)}: expected 1 or more");
            Geneformer.Model.TorchRuntime.SetThreads(r.GetValue(threads));
            if (r.GetValue(deterministic)) Geneformer.Model.TorchRuntime.SetDeterministic(true);
            var asJson = r.GetValue(json);
            var step = new ModelStepBenchmark.Options(r.GetValue(config)!, r.GetValue(batch), r.GetValue(seqLen), r.GetValue(steps), r.GetValue(warmup), r.GetValue(device)!, r.GetValue(peak));
            var comparison = new PyTorchComparison.Options(step.Config, step.Batch, step.SeqLen, step.Steps, step.Warmup, r.GetValue(rounds), r.GetValue(precision)!);
            using var data = new Lazy<BenchCorpus>(() => BenchCorpus.Open(r.GetValue(corpus), r.GetValue(corpusCells), r.GetValue(genesPerCell))).AsDisposable();
            var stages = new Dictionary<string, Func<IEnumerable<BenchFigure>>>
            {
                ["tokenize"] = () => TokenizeBenchmark.Run(seconds: 3),
                ["medians"] = () => MediansBenchmark.Run(seconds: 3),
                ["model-step"] = () => ModelStepBenchmark.Run(step),
                ["adamw"] = () => AdamWBenchmark.Run(step.Config, step.Device, Math.Max(3, step.Steps), r.GetValue(rounds)),
                ["train-step-2-ranks"] = () => TrainStepBenchmark.RunTwoRanks(step, selected.Contains("model-step") || selected.Contains("train-step") ? ProcessMemory.PeakResidentBytes() : null),
                ["allreduce"] = () => AllReduceBenchmark.Run(step.Config, Math.Max(5, step.Steps)),
                ["train-step"] = () => TrainStepBenchmark.Run(step),
                ["train-lengths"] = () => TrainLengthsBenchmark.Run(data.Value, new(step.Config, step.Batch, step.SeqLen, r.GetValue(accumulation), step.Steps, step.Warmup, r.GetValue(rounds), step.Device, step.PeakTflops)),
                ["embed"] = () => EmbedBenchmark.Run(new(["geneformer-10m", "tiny"], r.GetValue(embedCells), r.GetValue(embedSeqLen), step.Batch, step.Device)),
                ["loader"] = () => LoaderBenchmark.Run(data.Value, new(step.Batch, r.GetValue(globalBatch), Seconds: 3)),
                ["padding"] = () => PaddingBenchmark.Run(data.Value, new(step.Batch, r.GetValue(globalBatch), EmbedWindow: 4096)),
                ["checkpoint"] = () => CheckpointBenchmark.Run(new(r.GetValue(checkpointConfig)!, r.GetValue(rounds))),
                ["trainer-overhead"] = () => TrainerOverheadBenchmark.Run(step, r.GetValue(rounds)),
                ["pytorch-train-step"] = () => PyTorchComparison.TrainStep(comparison),
                ["pytorch-embed"] = () => PyTorchComparison.Embed(comparison),
                ["memory"] = () => MemoryBenchmark.Run(new(r.GetValue(memoryCells), r.GetValue(memoryFactor), r.GetValue(memoryGenes), r.GetValue(memorySteps), r.GetValue(threads))),
                ["control-plane"] = () => ControlPlaneBenchmark.Run(new(SelfCommand.Arguments(), r.GetValue(cpRanks)!, r.GetValue(cpNodeSize)!, data.Value.Directory,
                    r.GetValue(cpCluster)!, r.GetValue(cpStep), r.GetValue(cpReport), r.GetValue(cpWindow))),
            };
            var figures = new List<BenchFigure>();
            foreach (var stage in Stages.Concat(OnRequest).Where(selected.Contains))
                foreach (var f in stages[stage]())
                {
                    figures.Add(f);
                    Console.WriteLine(asJson ? f.ToJson() : f.ToText());
                    Console.Out.Flush();
                }
            if (r.GetValue(cpChart) is { } chart) ControlPlaneChart.Write([.. earlier, .. figures], chart);
            return ExitCodes.Ok;
        });
        return command;
    }
}
