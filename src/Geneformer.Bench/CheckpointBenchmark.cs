using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Collectives;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Bench;

/// <summary>
/// Checkpoint save and load of a preset through the trainer and the real <see cref="CheckpointStore"/>, into a
/// temporary folder removed afterwards. Save: what the trainer does at a checkpoint step (model.safetensors,
/// optimizer.bin with AdamW's moments, trainer state, rank part with weights digest, SHA-256 manifest, fsync of every
/// file and folder, atomic rename, <c>latest</c>). Load: a new trainer resuming from that checkpoint (manifest
/// verification, weights, optimizer state), once with the files evicted from the page cache (read from the disk) and
/// once with them cached. GB/s = bytes of the checkpoint folder / wall time. Stall: what a checkpoint written beside
/// training (<c>async_checkpoint</c>) holds training up for once the previous one is written: the copy of weights and
/// optimizer state into host memory, against the whole save above.
/// </summary>
public static class CheckpointBenchmark
{
    public sealed record Options(string Config, int Repeats);

    /// <summary>Times the checkpoint phases the trainer reports: save = Checkpointing .. committed; load = Loading .. Training.</summary>
    private sealed class PhaseClock : ITrainingObserver
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private double? saveStart, loadStart;
        public readonly List<double> Saves = [];
        public double? Load;

        public void OnPhase(TrainingPhase phase)
        {
            if (phase == TrainingPhase.Checkpointing) saveStart = clock.Elapsed.TotalSeconds;
            if (phase == TrainingPhase.Loading) loadStart = clock.Elapsed.TotalSeconds;
            if (phase == TrainingPhase.Training && loadStart is { } l && Load is null) Load = clock.Elapsed.TotalSeconds - l;
        }

        public void OnStep(StepProgress progress) { }

        public void OnCheckpointCommitted(long step, string path) => Saves.Add(clock.Elapsed.TotalSeconds - saveStart!.Value);
    }

    public static IEnumerable<BenchFigure> Run(Options o)
    {
        var model = ModelConfigs.Resolve(o.Config);
        var repeats = Math.Max(1, o.Repeats);
        var root = Directory.CreateTempSubdirectory("geneformer-bench-checkpoint-").FullName;
        try
        {
            // Tiny steps: the cost measured is the checkpoint, not the training between checkpoints.
            var cells = InMemoryCells.Random(8, 16, model.VocabSize, firstGene: 2, seed: 7);
            var data = new TrainingData("generated cells", cells, null, new MaskingVocabulary(model.VocabSize, 0, 1, []), new Dictionary<string, string>());
            var config = new TrainingConfig
            {
                Model = o.Config, MicroBatch = 1, GlobalBatch = 1, MaxSteps = repeats, MaxLength = 16, WarmupSteps = 1, CheckpointEvery = 1,
                KeepLast = repeats + 1, EvalEvery = long.MaxValue / 2, LogEvery = long.MaxValue / 2, Device = "cpu", AsyncCheckpoint = false,
            };
            var store = new CheckpointStore(root);
            var saving = new PhaseClock();
            using (var collectives = CollectivesFactory.Create(TorchSharp.DeviceType.CPU))
            using (var trainer = new Trainer(config, model, data, store, collectives, TextWriter.Null, new StopSignal(), null, saving))
                trainer.Run(new ResumeFrom.None());
            var latest = store.PathOf(repeats);
            var bytes = Directory.EnumerateFiles(latest, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var files = Directory.EnumerateFiles(latest, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(latest, f), f => new FileInfo(f).Length);

            var cold = new List<double>();
            var warm = new List<double>();
            var evicted = true;
            for (var i = 0; i < repeats; i++)
            {
                evicted &= PageCache.Evict(latest);
                cold.Add(Load(config, model, data, store, latest));
                warm.Add(Load(config, model, data, store, latest));
            }
            var details = new Dictionary<string, object>
            {
                ["config"] = o.Config, ["bytes"] = bytes, ["repeats"] = repeats,
                ["model_safetensors_bytes"] = files.GetValueOrDefault("model.safetensors"), ["optimizer_bin_bytes"] = files.GetValueOrDefault(CheckpointLayout.OptimizerFile),
                ["files"] = files.Count, ["fsync"] = true,
            };
            yield return Figure("checkpoint.save.gb_per_s", bytes, saving.Saves, details);
            var stalls = Stalls(config, model, repeats);
            yield return new BenchFigure("checkpoint.stall_s", stalls.Average(), "s", new Dictionary<string, object>(details)
            {
                ["min_seconds"] = stalls.Min(), ["max_seconds"] = stalls.Max(), ["save_seconds"] = saving.Saves.Average(),
                ["stall_over_save"] = stalls.Average() / saving.Saves.Average(),
            });
            yield return Figure("checkpoint.load.gb_per_s", bytes, cold, new Dictionary<string, object>(details) { ["page_cache"] = evicted ? "evicted" : "not evicted" });
            yield return Figure("checkpoint.load_cached.gb_per_s", bytes, warm, new Dictionary<string, object>(details) { ["page_cache"] = "warm" });
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static double Load(TrainingConfig config, BertConfig model, TrainingData data, CheckpointStore store, string checkpoint)
    {
        var loading = new PhaseClock();
        using var collectives = CollectivesFactory.Create(TorchSharp.DeviceType.CPU);
        using var trainer = new Trainer(config, model, data, store, collectives, TextWriter.Null, new StopSignal(), null, loading);
        trainer.Run(new ResumeFrom.Directory(checkpoint)); // resumes at the last step: loads, then has nothing left to train
        return loading.Load ?? throw new InvalidOperationException("the trainer never reported the end of loading");
    }

    /// <summary>Seconds to snapshot a model and its AdamW state (moments filled by one step) into host memory, <paramref name="repeats"/> times.</summary>
    private static List<double> Stalls(TrainingConfig config, BertConfig modelConfig, int repeats)
    {
        using var model = new Model.Bert.BertForMaskedLM(modelConfig);
        using var optimizer = Training.Optim.OptimizerFactory.Create(model, config);
        model.parameters().Select(p => p.pow(2).sum()).Aggregate((a, b) => a + b).backward();
        optimizer.step();
        var state = new TrainerState { Step = 1, GlobalBatch = 1, WorldSize = 1, Seed = config.Seed };
        var stalls = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var snapshot = CheckpointSnapshot.Take(model, optimizer, state, config, new Dictionary<string, string>(), rank: 0);
            stalls.Add(clock.Elapsed.TotalSeconds);
        }
        return stalls;
    }

    private static BenchFigure Figure(string name, long bytes, IReadOnlyList<double> seconds, Dictionary<string, object> details)
    {
        var mean = seconds.Average();
        return new BenchFigure(name, bytes / mean / 1e9, "GB/s", new Dictionary<string, object>(details)
        {
            ["seconds"] = mean, ["min_seconds"] = seconds.Min(), ["max_seconds"] = seconds.Max(),
        });
    }
}
