using Geneformer.Common.IO;
using Geneformer.TestSupport;

namespace Geneformer.Common.Tests;

public class NpyRowWriterTests
{
    [Fact]
    public void Streams_rows_and_numpy_reads_the_final_shape()
    {
        using var tmp = new TempDir();
        var path = tmp["a.npy"];
        using (var w = new NpyRowWriter<float>(path, rowWidth: 3))
        {
            w.Append([1f, 2f, 3f]);
            w.Append([4f, 5f, 6f, 7f, 8f, 9f]);
            Assert.False(File.Exists(path));
            w.Complete();
        }
        var (data, shape) = Npy.Read<float>(path);
        Assert.Equal([3L, 3L], shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], data);
        var py = ProcessRunner.Run(ProcessRunner.DebianPython, ["-c", $"import numpy as n; a=n.load('{path}'); print(a.shape, a.dtype, a[2,2])"]);
        Assert.Equal("(3, 3) float32 9.0", py.StdOut.Trim());
    }

    [Fact]
    public void An_unfinished_write_leaves_nothing()
    {
        using var tmp = new TempDir();
        using (var w = new NpyRowWriter<long>(tmp["b.npy"], rowWidth: 0, expectedRows: 5))
        {
            w.Append([1L, 2L]);
            Assert.Throws<InvalidOperationException>(w.Complete); // 2 of 5 rows
        }
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }
}
