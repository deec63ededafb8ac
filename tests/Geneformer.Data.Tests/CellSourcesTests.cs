using Geneformer.Data.AnnData;
using Geneformer.Data.Matrix;
using Geneformer.Data.TenX;
using Geneformer.TestSupport;
using PureHDF;

namespace Geneformer.Data.Tests;

public class CellSourcesTests
{
    [Fact]
    public void Dispatches_on_the_kind_of_input()
    {
        using (var h5ad = CellSources.Open(SharedData.File("cellxgene-schema", "small_perturbations.h5ad"))) Assert.IsType<AnnDataFile>(h5ad);
        using (var h5 = CellSources.Open(SharedData.File("scanpy-10x", "3.0.0", "filtered_feature_bc_matrix.h5"))) Assert.IsType<TenXH5File>(h5);
        using (var folder = CellSources.Open(SharedData.File("scanpy-10x", "1.2.0", "filtered_gene_bc_matrices", "hg19_chr21"))) Assert.IsType<TenXMtxFolder>(folder);
        using (var mtx = CellSources.Open(SharedData.File("scanpy-10x", "1.2.0", "filtered_gene_bc_matrices", "hg19_chr21", "matrix.mtx"))) Assert.IsType<TenXMtxFolder>(mtx);
    }

    [Fact]
    public void An_h5ad_under_another_extension_is_read_as_AnnData()
    {
        using var tmp = new TempDir();
        var renamed = tmp["pbmc.h5"];
        File.Copy(SharedData.File("tiledbsoma", "pbmc-small-x-csr.h5ad"), renamed);
        using var source = CellSources.Open(renamed, new CellSourceOptions { AllowNegativeValues = true });
        Assert.IsType<AnnDataFile>(source);
        Assert.Equal(80, source.CellCount);
    }

    [Fact]
    public void Anything_else_is_a_clear_error()
    {
        var json = SharedData.File("geneformer-configs", "Geneformer-V1-10M.config.json");
        var e = Assert.Throws<InvalidDataException>(() => CellSources.Open(json));
        Assert.Contains(json, e.Message);
        Assert.Contains("unsupported input", e.Message);

        var folder = SharedData.File("geneformer-dicts");
        Assert.Contains("not a 10x matrix folder", Assert.Throws<InvalidDataException>(() => CellSources.Open(folder)).Message);

        Assert.Throws<FileNotFoundException>(() => CellSources.Open(SharedData.File("no-such-file.h5ad")));

        using var tmp = new TempDir();
        var plain = tmp["plain.h5"];
        new H5File { ["numbers"] = new[] { 1, 2, 3 } }.Write(plain);
        Assert.Contains("neither AnnData", Assert.Throws<InvalidDataException>(() => CellSources.Open(plain)).Message);
    }
}
