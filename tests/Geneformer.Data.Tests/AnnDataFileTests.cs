using Geneformer.Data.AnnData;
using Geneformer.Data.Matrix;
using Geneformer.Data.Tests.TestData;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

public class AnnDataFileTests
{
    private static readonly CellSourceOptions Scaled = new() { AllowNegativeValues = true };

    [Fact]
    public void Csr_csc_and_dense_pbmc_small_give_identical_cells()
    {
        using var csr = AnnDataFile.Open(SharedData.File("tiledbsoma", "pbmc-small-x-csr.h5ad"), Scaled);
        using var csc = AnnDataFile.Open(SharedData.File("tiledbsoma", "pbmc-small-x-csc.h5ad"), Scaled);
        using var dense = AnnDataFile.Open(SharedData.File("tiledbsoma", "pbmc-small-x-dense.h5ad"), Scaled);
        Assert.Equal((AnnDataMatrixLayout.Csr, AnnDataMatrixLayout.Csc, AnnDataMatrixLayout.Dense), (csr.Layout, csc.Layout, dense.Layout));
        var expected = CellContents.Read(csr);
        Assert.Equal(80 * 20, expected.Sum(c => c.Length));
        CellContents.AssertEqual(expected, CellContents.Read(csc, 7));
        CellContents.AssertEqual(expected, CellContents.Read(dense, 7));
    }

    [Fact]
    public void Csc_layer_equals_the_same_counts_stored_csr()
    {
        var path = SharedData.File("anndataR", "example.h5ad");
        using var csr = AnnDataFile.Open(path, new CellSourceOptions { Matrix = "layer:counts" });
        using var csc = AnnDataFile.Open(path, new CellSourceOptions { Matrix = "layer:csc_counts" });
        using var dense = AnnDataFile.Open(path, new CellSourceOptions { Matrix = "layer:dense_counts" });
        Assert.Equal(AnnDataMatrixLayout.Csc, csc.Layout);
        var expected = CellContents.Read(csr);
        CellContents.AssertEqual(expected, CellContents.Read(csc, 13));
        CellContents.AssertEqual(expected, CellContents.Read(dense, 13));
    }

    [Theory]
    [InlineData("cellxgene-schema/small_perturbations.h5ad")] // CSR, gzip
    [InlineData("tiledbsoma/pbmc-small-x-csc.h5ad")] // CSC
    [InlineData("scvi-tools/pbmc_10k_protein_v3.h5ad")] // dense float32, LZF
    [InlineData("anndata-archives/v0.7.0/adata.h5ad")] // CSR with LZF, some chunks stored uncompressed
    [InlineData("scvi-tools/TM_droplet_mat.h5ad")] // legacy h5sparse
    public void Block_size_does_not_change_the_cells(string file)
    {
        using var source = AnnDataFile.Open(SharedData.File(file), Scaled);
        var expected = CellContents.Read(source, 1024);
        foreach (int size in new[] { 1, 7 }) CellContents.AssertEqual(expected, CellContents.Read(source, size));
        Assert.Equal(Expected.Matrix(file, "auto").Nnz, expected.Sum(c => c.Length));
    }

    [Fact]
    public void Raw_X_is_preferred_and_its_genes_come_from_raw_var()
    {
        // pbmc-small: X is 80 x 20 scaled values, raw.X is 80 x 230 log-normalised with its own raw/var.
        using var auto = AnnDataFile.Open(SharedData.File("tiledbsoma", "pbmc-small.h5ad"));
        Assert.Equal("raw/X", auto.MatrixPath);
        Assert.Equal(230, auto.GeneIds.Count);
        using var x = AnnDataFile.Open(SharedData.File("tiledbsoma", "pbmc-small.h5ad"), new CellSourceOptions { Matrix = "X", AllowNegativeValues = true });
        Assert.Equal("X", x.MatrixPath);
        Assert.Equal(20, x.GeneIds.Count);

        // CELLxGENE 2025: X is normalised, raw/X holds the integer counts.
        using var cxg = AnnDataFile.Open(SharedData.File("cellxgene-schema", "example_valid_2025-09-19.h5ad"));
        Assert.Equal("raw/X", cxg.MatrixPath);
        Assert.All(cxg.ReadBlocks().SelectMany(b => b.Values), v => Assert.Equal(Math.Round(v), v));
    }

    [Fact]
    public void Layer_is_selected_by_name_and_a_missing_one_lists_what_exists()
    {
        var path = SharedData.File("scimilarity", "test.h5ad");
        using var counts = AnnDataFile.Open(path, new CellSourceOptions { Matrix = "layer:counts" });
        Assert.Equal("layers/counts", counts.MatrixPath);
        MatrixSummary.Of(counts).AssertMatches(Expected.Matrix("scimilarity/test.h5ad", "layer:counts"));

        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path, new CellSourceOptions { Matrix = "layer:spliced" }));
        Assert.Contains(path, e.Message);
        Assert.Contains("layers/spliced", e.Message);
        Assert.Contains("X, layers/counts", e.Message);

        var noRaw = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path, new CellSourceOptions { Matrix = "raw" }));
        Assert.Contains("'raw/X'", noRaw.Message);
        Assert.Throws<ArgumentException>(() => AnnDataFile.Open(path, new CellSourceOptions { Matrix = "counts" }));
    }

    [Fact]
    public void Gene_ids_come_from_a_named_var_column()
    {
        const string file = "tiledbsoma/10x-pbmc-multiome_subset_100_100.h5ad";
        var expected = Expected.AnnData(file).GetProperty("var_columns").GetProperty("gene_ids");
        using var source = AnnDataFile.Open(SharedData.File(file), new CellSourceOptions { GeneIdColumn = "gene_ids" });
        Assert.Equal(expected[0].GetString(), source.GeneIds[0]);
        Assert.Equal(expected[1].GetString(), source.GeneIds[^1]);
        Assert.StartsWith("ENSG", source.GeneIds[0]);

        // t-cells: the var index itself is named gene_ids (Ensembl); gene_symbols is a column.
        using var tcells = AnnDataFile.Open(SharedData.File("scanpy", "t-cells.h5ad"), new CellSourceOptions { GeneIdColumn = "gene_ids" });
        Assert.StartsWith("ENSMUSG", tcells.GeneIds[0]);
        using var symbols = AnnDataFile.Open(SharedData.File("scanpy", "t-cells.h5ad"), new CellSourceOptions { GeneIdColumn = "gene_symbols" });
        Assert.Equal(Expected.AnnData("scanpy/t-cells.h5ad").GetProperty("var_columns").GetProperty("gene_symbols")[0].GetString(), symbols.GeneIds[0]);
    }

    [Fact]
    public void Missing_gene_id_column_is_an_error_naming_file_and_column()
    {
        var path = SharedData.File("scanpy", "kbet-sim.h5ad");
        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path, new CellSourceOptions { GeneIdColumn = "feature_id" }));
        Assert.Contains(path, e.Message);
        Assert.Contains("'feature_id'", e.Message);
        Assert.Contains("var", e.Message);
    }

    [Fact]
    public void Symbols_are_mapped_to_Ensembl_and_unmapped_ones_kept()
    {
        var path = SharedData.File("tiledbsoma", "10x-pbmc-multiome_subset_100_100.h5ad");
        using var plain = AnnDataFile.Open(path);
        var map = new Dictionary<string, string> { [plain.GeneIds[0]] = "ENSG00000243485" };
        using var mapped = AnnDataFile.Open(path, new CellSourceOptions { SymbolToEnsembl = map });
        Assert.Equal("ENSG00000243485", mapped.GeneIds[0]);
        Assert.Equal(plain.GeneIds.Skip(1), mapped.GeneIds.Skip(1));
    }

    [Fact]
    public void Empty_X_is_an_error_at_open()
    {
        var path = SharedData.File("tiledbsoma", "x-empty.h5ad");
        var e = Assert.Throws<InvalidDataException>(() => AnnDataFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("X", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void NaN_is_an_error_naming_file_cell_and_gene()
    {
        var path = SharedData.File("tiledbsoma", "bruce-nan.h5ad");
        using var source = AnnDataFile.Open(path, Scaled);
        var e = Assert.Throws<InvalidDataException>(() => source.ReadBlocks().ToList());
        Assert.Contains(path, e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Matches(@"cell \d+ \('[ACGT]+-1'\), gene \d+ \('[^']+'\)", e.Message);
    }

    [Fact]
    public void Negative_values_are_an_error_unless_allowed()
    {
        var path = SharedData.File("tiledbsoma", "pbmc-small-x-csr.h5ad");
        using var strict = AnnDataFile.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => strict.ReadBlocks().ToList());
        Assert.Contains(path, e.Message);
        Assert.Contains("negative", e.Message);
        Assert.Matches(@"cell \d+ \('[A-Z]+'\), gene \d+ \('[^']+'\)", e.Message);
        using var allowed = AnnDataFile.Open(path, Scaled);
        Assert.Equal(80, allowed.ReadBlocks().Sum(b => b.CellCount));
    }

    [Fact]
    public void Truncated_file_is_an_error_naming_the_file()
    {
        using var tmp = new TempDir();
        var bytes = File.ReadAllBytes(SharedData.File("cellxgene-schema", "small_perturbations.h5ad"));
        foreach (var fraction in new[] { 0.3, 0.9 })
        {
            var path = tmp[$"truncated-{fraction}.h5ad"];
            File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
            var e = Assert.Throws<InvalidDataException>(() =>
            {
                using var source = AnnDataFile.Open(path);
                foreach (var _ in source.ReadBlocks()) { }
            });
            Assert.Contains(path, e.Message);
        }
    }

    [Fact]
    public void Obs_columns_decode_in_every_generation()
    {
        // Legacy compound obs: categorical codes named in uns/louvain_categories.
        using var legacy = AnnDataFile.Open(SharedData.File("tiledbsoma", "bruce-nan.h5ad"));
        Assert.Equal(["n_genes", "percent_mito", "n_counts", "louvain"], legacy.ObsColumns);
        Assert.Equal("CD4 T cells", legacy.ReadObsColumn("louvain")[0]);
        Assert.Null(legacy.ReadObsColumn("percent_mito")[0]); // NaN is missing

        // anndata 0.7: codes with obs/__categories/<col>; ordered categorical.
        using var v07 = AnnDataFile.Open(SharedData.File("anndata-archives", "v0.7.0", "adata.h5ad"));
        var expected07 = Expected.AnnData("anndata-archives/v0.7.0/adata.h5ad").GetProperty("obs").GetProperty("cat_ordered").GetProperty("values");
        Assert.Equal(expected07[0].GetString(), v07.ReadObsColumn("cat_ordered")[0]);

        // anndata 0.8+: categorical with int categories and -1 codes, nullable integer and boolean.
        using var intNan = AnnDataFile.Open(SharedData.File("tiledbsoma", "categorical_int_nan.h5ad"), Scaled);
        var ints = intNan.ReadObsColumn("categ_int_nan");
        Assert.Contains(ints, v => v is null);
        Assert.All(ints.Where(v => v is not null), v => Assert.Matches(@"^-?\d+$", v!));
        using var nullable = AnnDataFile.Open(SharedData.File("anndataR", "example.h5ad"));
        Assert.Equal([null, "42", "42"], new[] { 0, 1, 99 }.Select(i => nullable.ReadObsColumn("IntNA")[i]));
        Assert.Equal(["False", null, "True"], new[] { 0, 1, 99 }.Select(i => nullable.ReadObsColumn("BoolNA")[i]));

        var e = Assert.Throws<InvalidDataException>(() => nullable.ReadObsColumn("cell_type"));
        Assert.Contains("'cell_type'", e.Message);
        Assert.Contains(SharedData.File("anndataR", "example.h5ad"), e.Message);
    }
}
