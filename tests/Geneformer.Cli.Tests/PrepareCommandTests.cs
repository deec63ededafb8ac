using Geneformer.Data.Corpus;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary><c>geneformer prepare</c> over the raw-count files of ../shared/data, as a user runs it.</summary>
public class PrepareCommandTests
{
    private static readonly string Gc30M = SharedData.File("geneformer-dicts", "gc30M");
    private static readonly string[] Gc30MDictionaries =
    [
        "--vocab", Path.Combine(Gc30M, "token_dictionary_gc30M.pkl"),
        "--medians", Path.Combine(Gc30M, "gene_median_dictionary_gc30M.pkl"),
    ];
    private static readonly string Pbmc = SharedData.File("scvi-tools", "pbmc_10k_protein_v3.h5ad");

    [Fact]
    public void Cellxgene_10x_and_scvi_pbmc_files_prepare_into_one_corpus()
    {
        using var tmp = new TempDir();
        string[] inputs =
        [
            SharedData.File("cellxgene-schema", "example_valid_2025-02-18.h5ad"),
            SharedData.File("cellxgene-schema", "example_valid_2022-07-27.h5ad"),
            SharedData.File("scanpy-10x", "3.0.0", "filtered_feature_bc_matrix.h5"),
            SharedData.File("scanpy-10x", "1.2.0", "filtered_gene_bc_matrices", "hg19_chr21"),
            Pbmc, // gene symbols
        ];
        var r = GeneformerProcess.Run(["prepare", "--no-progress", "--input", .. inputs, "--output", tmp["corpus"], .. Gc30MDictionaries,
            "--gene-symbols", Path.Combine(Gc30M, "gene_name_id_dict_gc30M.pkl")]);
        Assert.True(r.ExitCode == 0, r.ToString());

        var manifest = CorpusManifest.Load(Path.Combine(tmp["corpus"], CorpusManifest.FileName));
        Assert.Equal(inputs.Length, manifest.Datasets.Count);
        Assert.EndsWith("gene_name_id_dict_gc30M.pkl", manifest.GeneSymbolsSource);
        var pbmc = Assert.Single(manifest.Inputs, i => i.Path == Pbmc);
        Assert.Equal(200, pbmc.KeptCells);
        Assert.Equal(0, pbmc.EmptyCells); // every PBMC cell expresses mapped genes
        Assert.Equal(manifest.Inputs.Sum(i => i.KeptCells - i.EmptyCells), manifest.Counts.Values.Sum());

        using var reader = CorpusReader.Open(tmp["corpus"]);
        var pbmcLengths = CorpusManifest.SplitNames.SelectMany(name =>
        {
            var cells = reader.Split(name);
            return Enumerable.Range(0, (int)cells.Count).Where(i => cells.Metadata(i).DatasetId == "pbmc_10k_protein_v3").Select(i => cells.Tokens(i).Length).ToList();
        }).ToList();
        Assert.Equal(200, pbmcLengths.Count);
        Assert.All(pbmcLengths, n => Assert.InRange(n, 100, 2048));
    }

    [Fact]
    public void Symbols_without_a_dictionary_are_refused_naming_the_file_and_the_option()
    {
        using var tmp = new TempDir();
        var r = GeneformerProcess.Run(["prepare", "--no-progress", "--input", Pbmc, "--output", tmp["corpus"], .. Gc30MDictionaries]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Pbmc, r.StdErr);
        Assert.Contains("--gene-symbols", r.StdErr);
        Assert.False(Directory.Exists(tmp["corpus"]));
    }

    [Fact]
    public void A_symbol_dictionary_that_is_not_one_is_refused()
    {
        using var tmp = new TempDir();
        var r = GeneformerProcess.Run(["prepare", "--no-progress", "--input", Pbmc, "--output", tmp["corpus"], .. Gc30MDictionaries,
            "--gene-symbols", Path.Combine(Gc30M, "token_dictionary_gc30M.pkl")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("token_dictionary_gc30M.pkl", r.StdErr);
        Assert.False(Directory.Exists(tmp["corpus"]));
    }
}
