using System.Diagnostics;
using Geneformer.Model;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// A bare TorchSharp forward + backward + AdamW step of a model preset on random full-length cells: the
/// ceiling the trainer is compared against, and a native-memory leak check (RSS growth per step).
/// </summary>
public static class ModelStepBenchmark
{
    public sealed record Options(string Config, int Batch, int SeqLen, int Steps, int Warmup, string Device, double PeakTflops);

    public static IEnumerable<BenchFigure> Run(Options o)
    {
        var config = ModelConfigs.Resolve(o.Config);
        var device = TorchRuntime.ResolveDevice(o.Device);
        using var bare = new BareTrainStep(config, o.Batch, o.SeqLen, device);
        void Step() => bare.Run();

        for (var i = 0; i < o.Warmup; i++) Step();
        // Resident memory at the start, middle and end: the allocator grows for a few steps before it plateaus,
        // so growth is judged over the second half; a leak keeps growing there.
        var rssStart = ProcessMemory.ResidentBytes();
        var half = o.Steps / 2;
        long rssMid = rssStart;
        long? faultsMid = null;
        var seconds = 0.0;
        for (var i = 0; i < o.Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            Step();
            seconds += clock.Elapsed.TotalSeconds;
            if (i + 1 == half)
            {
                rssMid = ProcessMemory.ResidentBytes();
                faultsMid = ProcessMemory.MinorFaults();
            }
        }
        var faultsEnd = ProcessMemory.MinorFaults();
        var rssEnd = ProcessMemory.ResidentBytes();

        var tokens = (double)o.Batch * o.SeqLen * o.Steps;
        var tflops = tokens * ModelFlops.TrainingPerToken(config, o.SeqLen, 0.15) / seconds / 1e12;
        var details = new Dictionary<string, object>
        {
            ["config"] = o.Config, ["device"] = device.ToString(), ["batch"] = o.Batch, ["seq_len"] = o.SeqLen,
            ["steps"] = o.Steps, ["threads"] = get_num_threads(), ["seconds_per_step"] = seconds / o.Steps,
        };
        yield return new BenchFigure("model-step.tokens_per_s", tokens / seconds, "tokens/s", details);
        yield return new BenchFigure("model-step.tflops", tflops, "TFLOPS", new Dictionary<string, object>(details) { ["mfu"] = tflops / o.PeakTflops, ["peak_tflops"] = o.PeakTflops });
        yield return new BenchFigure("model-step.rss_growth_per_step", (rssEnd - rssMid) / (double)Math.Max(1, o.Steps - half) / (1 << 20), "MiB/step",
            new Dictionary<string, object>(details)
            {
                ["rss_start_mib"] = rssStart >> 20, ["rss_mid_mib"] = rssMid >> 20, ["rss_end_mib"] = rssEnd >> 20,
                ["rss_peak_mib"] = ProcessMemory.PeakResidentBytes() >> 20,
            });
        if (faultsMid is { } from && faultsEnd is { } to)
            yield return new BenchFigure("model-step.fresh_pages_per_step", (to - from) * (double)Environment.SystemPageSize / Math.Max(1, o.Steps - half) / (1 << 20), "MiB/step",
                new Dictionary<string, object>(details) { ["host_allocator"] = Model.Native.HostAllocator.State ?? "not set" });
    }
}
