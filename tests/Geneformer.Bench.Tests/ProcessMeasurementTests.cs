using System.Diagnostics;
using System.Runtime.InteropServices;
using Geneformer.Bench.ControlPlane;

namespace Geneformer.Bench.Tests;

/// <summary>The bench's memory and CPU figures come from /proc; these check them against work of known size.</summary>
public class ProcessMeasurementTests
{
    [Fact]
    public void Touching_fresh_memory_raises_the_peak_resident_size_and_the_minor_faults_by_about_as_much()
    {
        const int size = 256 << 20;
        var peakBefore = ProcessMemory.PeakResidentBytes();
        var faultsBefore = ProcessMemory.MinorFaults()!.Value;
        var block = Marshal.AllocHGlobal(size);
        try
        {
            for (var offset = 0; offset < size; offset += 4096) Marshal.WriteByte(block, offset, 1);
            var pages = ProcessMemory.MinorFaults()!.Value - faultsBefore;
            Assert.InRange(pages, size / 4096 / 2, long.MaxValue);
            Assert.InRange(ProcessMemory.PeakResidentBytes(), peakBefore + size / 2, long.MaxValue);
            Assert.InRange(ProcessMemory.ResidentBytes(), size, long.MaxValue);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        Assert.InRange(ProcessMemory.AvailableBytes()!.Value, 1L << 20, long.MaxValue);
    }

    [Fact]
    public void Another_processs_cpu_time_open_files_and_peak_memory_are_read()
    {
        // About one CPU second of work, 64 MiB held, then a pause to be measured in.
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c",
            "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.0: pass\nb = bytearray(64 << 20)\nprint('ready', flush=True)\ntime.sleep(30)"])
        { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("ready", p.StandardOutput.ReadLine());
            Assert.InRange(ProcessUsage.CpuSeconds(p.Id), 0.9, 10);
            Assert.InRange(ProcessUsage.PeakResidentBytes(p.Id), 64L << 20, 1L << 30);
            Assert.InRange(ProcessUsage.OpenFiles(p.Id), 3, 1000);
        }
        finally
        {
            p.Kill();
        }
    }
}
