using Geneformer.Common.IO;
using Geneformer.TestSupport;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Evaluation.Tests;

/// <summary>Parts written by ranks and joined by <see cref="NpyEmbeddingFiles.AppendPart"/> equal the files one writer makes.</summary>
public class EmbeddingPartsTests
{
    private const int Hidden = 3;

    /// <summary>Cells 0..9: cell c has c % 4 gene rows (so some have none), each row's values and token derived from (c, row).</summary>
    private static EmbeddedCells Cells(int first, int count, bool perGene)
    {
        if (!perGene)
            return new EmbeddedCells(first, count, Hidden, Enumerable.Range(first * Hidden, count * Hidden).Select(v => v * 0.5f).ToArray(), null, null);
        var offsets = new int[count + 1];
        for (var i = 0; i < count; i++) offsets[i + 1] = offsets[i] + (first + i) % 4;
        var vectors = new List<float>();
        var tokens = new List<int>();
        for (var i = 0; i < count; i++)
            for (var g = 0; g < (first + i) % 4; g++)
            {
                tokens.Add(100 * (first + i) + g);
                vectors.AddRange([first + i, g, -1f]);
            }
        return new EmbeddedCells(first, count, Hidden, vectors.ToArray(), offsets, tokens.ToArray());
    }

    private static string[] Ids(int count) => Enumerable.Range(0, count).Select(i => $"cell-{i}").ToArray();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Joined_parts_equal_one_writer_byte_for_byte(bool perGene, bool float16)
    {
        using var tmp = new TempDir();
        var whole = tmp["whole.npy"];
        using (var files = new NpyEmbeddingFiles(whole, Hidden, float16, perGene, Ids(10)))
        {
            files.Write(Cells(0, 10, perGene));
            files.Complete();
        }

        // three ranks: cells 0..3, none, 4..9 (written in two windows)
        var parts = Enumerable.Range(0, 3).Select(r => EmbeddingFilePaths.ForPart(tmp["joined.npy"], perGene, r, 3, "t0")).ToArray();
        foreach (var (part, first, counts) in new[] { (parts[0], 0, new[] { 4 }), (parts[1], 4, Array.Empty<int>()), (parts[2], 4, new[] { 2, 4 }) })
        {
            using var files = NpyEmbeddingFiles.ForPart(part.Vectors, Hidden, float16, perGene, counts.Sum());
            var at = first;
            foreach (var n in counts) { files.Write(Cells(at, n, perGene)); at += n; }
            files.Complete();
            Assert.False(File.Exists(part.Ids)); // parts carry no ids
        }
        using (var joined = new NpyEmbeddingFiles(tmp["joined.npy"], Hidden, float16, perGene, Ids(10)))
        {
            foreach (var part in parts) joined.AppendPart(part);
            joined.Complete();
        }

        var expected = EmbeddingFilePaths.For(whole, perGene).All.ToArray();
        var actual = EmbeddingFilePaths.For(tmp["joined.npy"], perGene).All.ToArray();
        Assert.Equal(perGene ? 4 : 2, expected.Length);
        foreach (var (e, a) in expected.Zip(actual)) Assert.True(File.ReadAllBytes(e).SequenceEqual(File.ReadAllBytes(a)), $"{a} differs from {e}");
    }

    [Fact]
    public void A_part_of_another_width_or_dtype_is_refused_naming_its_file()
    {
        using var tmp = new TempDir();
        var part = EmbeddingFilePaths.ForPart(tmp["out.npy"], false, 0, 1, "t1");
        using (var files = NpyEmbeddingFiles.ForPart(part.Vectors, Hidden + 1, false, false, 1))
        {
            files.Write(new EmbeddedCells(0, 1, Hidden + 1, [1f, 2f, 3f, 4f], null, null));
            files.Complete();
        }
        using (var joined = new NpyEmbeddingFiles(tmp["out.npy"], Hidden, false, false, Ids(1)))
            Assert.Contains(part.Vectors, Assert.Throws<InvalidDataException>(() => joined.AppendPart(part)).Message);
        using (var joined = new NpyEmbeddingFiles(tmp["out16.npy"], Hidden + 1, true, false, Ids(1)))
            Assert.Contains("dtype is '<f4', expected '<f2'", Assert.Throws<InvalidDataException>(() => joined.AppendPart(part)).Message);
        part.Delete();
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path)); // unfinished outputs left nothing either
    }

    [Fact]
    public void Part_files_are_hidden_beside_the_output_and_named_by_rank_and_run()
    {
        var part = EmbeddingFilePaths.ForPart("/data/out/cells.npy", true, 3, 16, "abc");
        Assert.Equal("/data/out/.cells.npy.part-00003-of-00016-abc.npy", part.Vectors);
        Assert.Equal("/data/out/.cells.npy.part-00003-of-00016-abc.offsets.npy", part.Offsets);
        Assert.Equal("/data/out/.cells.npy.part-00003-of-00016-abc.tokens.npy", part.Tokens);
    }

    [Fact]
    public void The_row_reader_streams_a_numpy_file_in_bounded_reads()
    {
        using var tmp = new TempDir();
        var path = tmp["a.npy"];
        var data = Enumerable.Range(0, 7 * 5).Select(i => (float)i).ToArray();
        Npy.Write<float>(path, data, 7, 5); // numpy-style header (not the writer's reserved one)
        using var reader = new NpyRowReader<float>(path);
        Assert.Equal(7, reader.Rows);
        Assert.Equal(5, reader.RowWidth);
        var read = new List<float>();
        while (reader.RowsRead < reader.Rows) read.AddRange(reader.Read(3));
        Assert.Equal(data, read);
        Assert.Empty(reader.Read(3));
        Assert.Contains("dtype is '<f4', expected '<i8'", Assert.Throws<InvalidDataException>(() => new NpyRowReader<long>(path)).Message);

        File.WriteAllBytes(tmp["short.npy"], File.ReadAllBytes(path)[..^4]);
        Assert.Contains("bytes, but its header", Assert.Throws<InvalidDataException>(() => new NpyRowReader<float>(tmp["short.npy"])).Message);
    }
}
