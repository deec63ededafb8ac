using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class BenchMemoryTests
{
    [Fact]
    public void Memory_stage_reports_peak_resident_memory_of_each_command_at_both_sizes_and_the_growth()
    {
        var figures = BenchFigures.Parse(GeneformerProcess.Run(TimeSpan.FromMinutes(5),
            "bench", "--only", "memory", "--memory-cells", "40", "--memory-factor", "2", "--memory-genes-per-cell", "50", "--memory-steps", "2", "--threads", "1", "--json"));
        foreach (var command in new[] { "prepare", "pretrain", "embed" })
        {
            var peaks = figures.Where(f => f.GetProperty("name").GetString() == $"memory.{command}.peak_mib").ToList();
            Assert.Equal([40.0, 80.0], peaks.Select(p => p.Number("cells")));
            // Every command is a .NET process that loads libtorch: tens of MiB at least, and under this test's sizes nowhere near GiBs.
            Assert.All(peaks, p => Assert.InRange(p.Positive(), 30, 4096));
            var growth = figures.Single($"memory.{command}.growth");
            Assert.Equal(peaks[1].Value() / peaks[0].Value(), growth.Value(), 6);
            Assert.Equal(peaks[0].Value(), growth.Number("small_mib"), 6);
        }
    }
}
