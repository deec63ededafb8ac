using Geneformer.Data.Synthetic;
using Geneformer.TestSupport;
using PureHDF;

namespace Geneformer.Data.Tests;

public class H5adWriterTests
{
    [Fact]
    public void WritesCellxGeneLikeAnnDataThatReadsBack()
    {
        using var tmp = new TempDir();
        var corpus = new SyntheticCorpus(CorpusTestData.Small(datasets: 2));
        using var source = corpus.Open(1);
        var path = tmp["d.h5ad"];
        H5adWriter.Write(path, source);

        using var f = H5File.OpenRead(path);
        Assert.Equal("anndata", f.Attribute("encoding-type").Read<string>());
        var x = f.Group("X");
        Assert.Equal("csr_matrix", x.Attribute("encoding-type").Read<string>());
        Assert.Equal(new long[] { 120, 2000 }, x.Attribute("shape").Read<long[]>());
        var indptr = x.Dataset("indptr").Read<long[]>();
        var indices = x.Dataset("indices").Read<int[]>();
        var data = x.Dataset("data").Read<float[]>();
        var expected = source.ReadBlocks(1000).Single();
        Assert.Equal(expected.IndPtr.Select(p => (long)p), indptr);
        Assert.Equal(expected.GeneIndices, indices);
        Assert.Equal(expected.Values, data);

        Assert.Equal(source.GeneIds, f.Group("var").Dataset("_index").Read<string[]>());
        Assert.Equal(source.GeneIds, f.Group("var").Dataset("feature_id").Read<string[]>());
        var obs = f.Group("obs");
        Assert.Equal(source.CellIds, obs.Dataset("_index").Read<string[]>());
        var cellType = obs.Group("cell_type");
        Assert.Equal("categorical", cellType.Attribute("encoding-type").Read<string>());
        var categories = cellType.Dataset("categories").Read<string[]>();
        var codes = cellType.Dataset("codes").Read<sbyte[]>();
        Assert.Equal(source.ReadObsColumn("cell_type"), codes.Select(c => categories[c]));
        Assert.Equal(source.ReadObsColumn("is_primary_data"), obs.Dataset("is_primary_data").Read<byte[]>().Select(b => b == 1 ? "True" : "False"));
    }

    [Fact]
    public void A_matrix_larger_than_one_copy_slice_is_written_whole_and_no_spill_file_is_left()
    {
        using var tmp = new TempDir();
        var corpus = new SyntheticCorpus(CorpusTestData.Small(datasets: 1) with { CellsPerDataset = 1500, GenesPerCell = 1000, GeneCount = 3000 });
        using var source = corpus.Open(0);
        var path = tmp["big.h5ad"];
        H5adWriter.Write(path, source);

        using var f = H5File.OpenRead(path);
        var x = f.Group("X");
        var indptr = x.Dataset("indptr").Read<long[]>();
        var expected = source.ReadBlocks(100_000).Single();
        Assert.True(indptr[^1] > 1 << 20, $"{indptr[^1]} values: the test needs more than one slice of 2^20");
        Assert.Equal(expected.IndPtr.Select(p => (long)p), indptr);
        Assert.Equal(expected.GeneIndices, x.Dataset("indices").Read<int[]>());
        Assert.Equal(expected.Values, x.Dataset("data").Read<float[]>());
        Assert.Equal(["big.h5ad"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GeneratedFilesReadBackThroughTheAnnDataReader()
    {
        using var tmp = new TempDir();
        var corpus = new SyntheticCorpus(CorpusTestData.Small(datasets: 2));
        var files = SyntheticCorpusWriter.WriteH5ad(corpus, tmp["gen"]);
        Assert.Equal(2, files.Count);
        using var expected = corpus.Open(0);
        using var read = Geneformer.Data.Matrix.CellSources.Open(files[0]);
        Assert.Equal(expected.GeneIds, read.GeneIds);
        Assert.Equal(expected.CellIds, read.CellIds);
        foreach (var column in expected.ObsColumns) Assert.Equal(expected.ReadObsColumn(column), read.ReadObsColumn(column));
        var a = expected.ReadBlocks(1000).Single();
        var b = read.ReadBlocks(1000).Single();
        Assert.Equal(a.IndPtr, b.IndPtr);
        Assert.Equal(a.GeneIndices, b.GeneIndices);
        Assert.Equal(a.Values, b.Values);
    }
}
