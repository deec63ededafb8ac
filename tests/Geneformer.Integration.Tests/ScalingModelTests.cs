using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>tools/scaling_model.py: its all-reduce and compute figures follow the formulas it states.</summary>
public class ScalingModelTests
{
    [Fact]
    public void Predicts_compute_and_ring_allreduce_times_by_its_stated_formulas()
    {
        var r = ProcessRunner.Run(ProcessRunner.DebianPython, [Path.Combine(RepoPaths.Root, "tools", "scaling_model.py"), "--gpus", "8", "64"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = r.StdOut.Split('\n').Where(l => l.StartsWith("| geneformer")).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(8, rows.Count); // 2 presets x 2 GPU kinds x 2 sizes
        // 106M on 8 H100 (one node): 2 x 7/8 x 427.1 MB / 450 GB/s + 14 x 2 us = 1.69 ms; compute 2048 x 2048 x 754.2 MFLOP / 8 / 395 TFLOPS.
        var row = rows.Single(c => c[1] == "geneformer-106m" && c[2] == "H100" && c[3] == "8");
        Assert.Equal("1.69 ms", row[5]);
        Assert.Equal((2048.0 * 2048 * 754.2e6 / 8 / 395e12).ToString("0.000"), row[4]);
        // 10M on 64 A100 (8 nodes): 2 x 7/8 x S / 300 GB/s + 2 x 7/8 x (S/8) / 25 GB/s + 14 x 2 us + 14 x 5 us, S = 41.16 MB.
        var s = 4.0 * 10_288_981;
        var expected = 2 * 7.0 / 8 * s / 300e9 + 2 * 7.0 / 8 * (s / 8) / 25e9 + 14 * 2e-6 + 14 * 5e-6;
        var small = rows.Single(c => c[1] == "geneformer-10m" && c[2] == "A100" && c[3] == "64");
        Assert.Equal($"{expected * 1e3:0.00} ms", small[5]);
    }
}
