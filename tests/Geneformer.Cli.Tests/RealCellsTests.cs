using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// The real-cells recipe of docs/learning.md at a small scale: the human raw-count files of ../shared/data prepared with
/// Geneformer's V1 dictionaries (gene symbols mapped to Ensembl ids), the tiny preset pretrained on them, and every
/// checkpoint's embeddings scored on labelled PBMCs that are not in the corpus (scanpy's pbmc68k_reduced).
/// </summary>
public class RealCellsTests
{
    private static readonly string Dicts = SharedData.File("geneformer-dicts", "gc30M");

    private static readonly string[] Inputs =
    [
        SharedData.File("cellxgene-schema", "example_valid_2025-02-18.h5ad"),
        SharedData.File("cellxgene-schema", "small_perturbations.h5ad"),
        SharedData.File("scanpy-10x", "3.0.0", "filtered_feature_bc_matrix.h5"),
        SharedData.File("scanpy-10x", "1.2.0", "filtered_gene_bc_matrices", "hg19_chr21"),
        SharedData.File("scvi-tools", "pbmc_10k_protein_v3.h5ad"),
        SharedData.File("tiledbsoma", "10x-pbmc-multiome_subset_100_100.h5ad"),
    ];

    [Fact]
    public void Pretraining_on_real_cells_learns_past_gene_frequencies_and_its_embeddings_do_not_collapse()
    {
        using var tmp = new TempDir();
        var symbols = Path.Combine(Dicts, "gene_name_id_dict_gc30M.pkl");
        var p = GeneformerProcess.Run(["prepare", "--output", tmp["corpus"], "--seed", "2", "--holdout-fraction", "0.2", "--no-progress", "--gene-symbols", symbols,
            "--vocab", Path.Combine(Dicts, "token_dictionary_gc30M.pkl"), "--medians", Path.Combine(Dicts, "gene_median_dictionary_gc30M.pkl"), "--input", .. Inputs]);
        Assert.True(p.ExitCode == 0, p.ToString());
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp["corpus"], "manifest.json"))).RootElement;
        var pbmc = manifest.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("dataset_id").GetString() == "pbmc_10k_protein_v3");
        Assert.Equal(200, pbmc.GetProperty("train").GetInt64()); // the one full-transcriptome PBMC file is trained on

        var t = GeneformerProcess.Run(TimeSpan.FromMinutes(10), "pretrain", "--training", "tiny", "--corpus", tmp["corpus"], "--checkpoints", tmp["ckpt"],
            "--max-steps", "120", "--checkpoint-every", "60", "--eval-every", "1000", "--threads", "1");
        Assert.True(t.ExitCode == 0, t.ToString());
        var records = File.ReadLines(Path.Combine(tmp["ckpt"], "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var unigram = records[0].GetProperty("unigram_entropy").GetDouble();
        var losses = records.Where(r => r.TryGetProperty("loss", out _)).Select(r => r.GetProperty("loss").GetDouble()).ToList();
        var recent = losses.TakeLast(5).Average();
        Assert.True(recent < unigram - 0.3, $"loss over the last 5 logged steps {recent:0.000}, unigram level {unigram:0.000}");

        var e = GeneformerProcess.Run(TimeSpan.FromMinutes(8), "eval", "training", "--checkpoints", tmp["ckpt"], "--output", tmp["report"],
            "--input", SharedData.File("scanpy", "10x_pbmc68k_reduced.h5ad"), "--label-column", "bulk_labels", "--gene-symbols", symbols,
            "--classifier", "logreg", "--folds", "3", "--threads", "1");
        Assert.True(e.ExitCode == 0, e.ToString());
        double Accuracy(string row)
        {
            var m = Regex.Match(e.StdOut, $@"(?m)^{row}\s+logreg\s+accuracy (\d\.\d+)");
            Assert.True(m.Success, e.StdOut);
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        const double chance = 240.0 / 700; // Dendritic
        Assert.True(Accuracy("PCA baseline") > chance + 0.25, e.StdOut);
        Assert.True(Accuracy("random weights") > chance + 0.1, e.StdOut);
        Assert.True(Accuracy("step 120") > chance + 0.1, e.StdOut); // collapsed embeddings classify at chance
        Assert.Matches(@"(?m)^logreg: best checkpoint step \d+, accuracy \d\.\d+ ± \d\.\d+, (above|below|level with) random weights", e.StdOut);
    }
}
