using Geneformer.Common.IO;
using Geneformer.TestSupport;

namespace Geneformer.Common.Tests;

public class NpyTests
{
    [Fact]
    public void Numpy_reads_what_is_written_with_its_shape_type_and_values()
    {
        using var tmp = new TempDir();
        Npy.Write<float>(tmp["f.npy"], [1.5f, -2f, 3.25f, 0f, 1e-8f, 7f], 2, 3);
        Npy.Write<Half>(tmp["h.npy"], [(Half)0.5f, (Half)(-4f)], 2);
        Npy.Write<long>(tmp["l.npy"], [long.MaxValue, -1], 1, 2);
        Npy.Write<bool>(tmp["b.npy"], [true, false, true], 3);
        var script = tmp["check.py"];
        File.WriteAllText(script, """
            import sys, numpy as np
            d = sys.argv[1]
            for name in ["f", "h", "l", "b"]:
                a = np.load(f"{d}/{name}.npy")
                print(name, a.dtype.str, a.shape, a.ravel().tolist())
            """);
        var r = ProcessRunner.Python(script, tmp.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(
            [
                "f <f4 (2, 3) [1.5, -2.0, 3.25, 0.0, 9.99999993922529e-09, 7.0]",
                "h <f2 (2,) [0.5, -4.0]",
                "l <i8 (1, 2) [9223372036854775807, -1]",
                "b |b1 (3,) [True, False, True]",
            ],
            r.StdOut.Trim().Split('\n'));
    }

    [Fact]
    public void Arrays_numpy_writes_are_read_back_including_a_version_2_header()
    {
        using var tmp = new TempDir();
        var script = tmp["write.py"];
        File.WriteAllText(script, """
            import sys, numpy as np
            d = sys.argv[1]
            np.save(f"{d}/i.npy", np.arange(12, dtype=np.int32).reshape(3, 4))
            np.save(f"{d}/s.npy", np.array(7, dtype=np.float32))
            with open(f"{d}/v2.npy", "wb") as f:
                np.lib.format.write_array(f, np.array([[1, 2]], dtype=np.int64), version=(2, 0))
            """);
        var r = ProcessRunner.Python(script, tmp.Path);
        Assert.True(r.ExitCode == 0, r.ToString());

        var (ints, shape) = Npy.Read<int>(tmp["i.npy"]);
        Assert.Equal([3L, 4L], shape);
        Assert.Equal(Enumerable.Range(0, 12), ints);
        var (scalar, scalarShape) = Npy.Read<float>(tmp["s.npy"]);
        Assert.Empty(scalarShape);
        Assert.Equal([7f], scalar);
        var (v2, v2Shape) = Npy.Read<long>(tmp["v2.npy"]);
        Assert.Equal([1L, 2L], v2Shape);
        Assert.Equal([1L, 2L], v2);
        using var stream = File.OpenRead(tmp["v2.npy"]);
        var header = Npy.ReadHeader(stream, "v2.npy");
        Assert.Equal(header.DataOffset, stream.Position);
    }

    [Fact]
    public void A_file_that_is_not_the_expected_array_is_refused_naming_the_file_and_what_was_expected()
    {
        using var tmp = new TempDir();
        Npy.Write<float>(tmp["f.npy"], [1f, 2f], 2);
        var wrongType = Assert.Throws<InvalidDataException>(() => Npy.Read<long>(tmp["f.npy"]));
        Assert.Equal($"{tmp["f.npy"]}: dtype is '<f4', expected '<i8'", wrongType.Message);

        File.WriteAllText(tmp["text.npy"], "not an array at all");
        Assert.Equal($"{tmp["text.npy"]}: not a .npy file", Assert.Throws<InvalidDataException>(() => Npy.Read<float>(tmp["text.npy"])).Message);

        var whole = File.ReadAllBytes(tmp["f.npy"]);
        File.WriteAllBytes(tmp["cut.npy"], whole[..40]);
        Assert.Equal($"{tmp["cut.npy"]}: .npy header cut short", Assert.Throws<InvalidDataException>(() => Npy.Read<float>(tmp["cut.npy"])).Message);

        var script = tmp["fortran.py"];
        File.WriteAllText(script, "import sys, numpy as np\nnp.save(sys.argv[1], np.asfortranarray(np.ones((2, 3), dtype=np.float32)))\n");
        Assert.Equal(0, ProcessRunner.Python(script, tmp["fortran.npy"]).ExitCode);
        Assert.Contains("Fortran-ordered arrays are not supported", Assert.Throws<InvalidDataException>(() => Npy.Read<float>(tmp["fortran.npy"])).Message);
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_data_is_refused_and_nothing_is_written()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<ArgumentException>(() => Npy.Write<float>(tmp["x.npy"], [1f, 2f, 3f], 2, 2));
        Assert.Equal("npy: shape (2, 2) holds 4 elements but 3 were given", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp.Path));
    }
}
