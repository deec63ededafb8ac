using System.CommandLine;
using Geneformer.Common;
using Geneformer.Data.Synthetic;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer generate</c>: a synthetic CELLxGENE-like corpus of .h5ad files, one per dataset_id.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder to create with one DATASET_ID.h5ad per dataset (must not exist; written atomically)", Required = true };
        var datasets = new Option<int>("--datasets") { Description = "Number of dataset_ids", DefaultValueFactory = _ => 8 };
        var cells = new Option<int>("--cells-per-dataset") { Description = "Cells in each dataset", DefaultValueFactory = _ => 500 };
        var genesPerCell = new Option<int>("--genes-per-cell") { Description = "Mean expressed genes per cell (each cell varies by ±20%)", DefaultValueFactory = _ => 2000 };
        var genes = new Option<int>("--genes") { Description = "Genes in the matrix", DefaultValueFactory = _ => 25_000 };
        var geneIds = new Option<string?>("--gene-ids") { Description = "Geneformer token dictionary TSV to take real Ensembl ids from (e.g. token_dictionary_gc30M.tsv); default: generated ENSG ids" };
        var filtered = new Option<double>("--filtered-fraction") { Description = "Share of cells the CELLxGENE filters should drop (non-primary, disease, suspension na)", DefaultValueFactory = _ => 0.05 };
        var programGenes = new Option<int>("--program-genes") { Description = "Genes of the program all cell types share, each type at fold changes of its own (types differ in their order)", DefaultValueFactory = _ => 150 };
        var markerGenes = new Option<int>("--marker-genes") { Description = "Marker genes of each cell type alone", DefaultValueFactory = _ => 15 };
        var markerBoost = new Option<double>("--marker-boost") { Description = "How many times more often a cell expresses a marker gene of its type than the gene's baseline", DefaultValueFactory = _ => 30 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same options and seed give byte-identical files", DefaultValueFactory = _ => 1UL };
        var command = new Command("generate", "Generate a synthetic CELLxGENE-like corpus (.h5ad per dataset_id; negative-binomial counts with cell-type gene programs)")
        {
            output, datasets, cells, genesPerCell, genes, geneIds, filtered, programGenes, markerGenes, markerBoost, seed,
        };
        command.SetAction(r =>
        {
            var geneCount = r.GetValue(genes);
            var idsPath = r.GetValue(geneIds);
            var ids = idsPath is null ? null : SyntheticCorpus.GeneIdsFromTokenDictionary(idsPath, geneCount)
                ?? throw new FileNotFoundException($"--gene-ids {idsPath} not found", idsPath);
            var corpus = new SyntheticCorpus(new SyntheticCorpusOptions
            {
                Datasets = r.GetValue(datasets),
                CellsPerDataset = r.GetValue(cells),
                GenesPerCell = r.GetValue(genesPerCell),
                GeneCount = geneCount,
                GeneIds = ids,
                FilteredOutFraction = r.GetValue(filtered),
                ProgramGenes = r.GetValue(programGenes),
                MarkerGenes = r.GetValue(markerGenes),
                MarkerBoost = r.GetValue(markerBoost),
                Seed = r.GetValue(seed),
            });
            var to = r.GetValue(output)!;
            SyntheticCorpusWriter.WriteH5ad(corpus, to, (d, path) =>
            {
                var ds = corpus.Datasets[d];
                Console.WriteLine($"{path}: {corpus.Options.CellsPerDataset:N0} cells, assay {ds.Assay}, tissue {ds.TissueGeneral}");
            });
            Console.WriteLine($"generated {corpus.Datasets.Count} datasets x {corpus.Options.CellsPerDataset:N0} cells, {corpus.GeneIds.Count:N0} genes, in {Path.GetFullPath(to)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
