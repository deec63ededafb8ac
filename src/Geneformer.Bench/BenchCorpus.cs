using Geneformer.Data.Matrix;
using Geneformer.Data.Pipeline;
using Geneformer.Data.Synthetic;

namespace Geneformer.Bench;

/// <summary>
/// A prepared corpus for the data benchmarks: the one named by <c>--corpus</c>, or one made in a temporary folder
/// through the real <c>generate</c> and <c>prepare</c> code (.h5ad files of a CELLxGENE-like synthetic corpus, then
/// filters, medians, rank-value tokenization, dataset_id splits, Arrow shards), removed on dispose.
/// </summary>
public sealed class BenchCorpus : IDisposable
{
    private readonly string? temporary;

    public string Directory { get; }
    /// <summary>"generated (N cells, ~G expressed genes)" or the folder given.</summary>
    public string Description { get; }

    private BenchCorpus(string directory, string description, string? temporary)
    {
        Directory = directory;
        Description = description;
        this.temporary = temporary;
    }

    public static BenchCorpus Open(string? corpusDir, int cells, int genesPerCell)
    {
        if (corpusDir is not null) return new BenchCorpus(Path.GetFullPath(corpusDir), Path.GetFullPath(corpusDir), null);
        var root = System.IO.Directory.CreateTempSubdirectory("geneformer-bench-corpus-").FullName;
        try
        {
            const int datasets = 8;
            var corpus = new SyntheticCorpus(new SyntheticCorpusOptions
            {
                Datasets = datasets, CellsPerDataset = Math.Max(1, cells / datasets), GenesPerCell = genesPerCell, GeneCount = Math.Max(25_000, genesPerCell * 2),
            });
            var raw = Path.Combine(root, "raw");
            SyntheticCorpusWriter.WriteH5ad(corpus, raw);
            var prepared = Path.Combine(root, "corpus");
            new CorpusBuilder(path => CellSources.Open(path)).Build(new CorpusBuildOptions { Inputs = [raw], Output = prepared, HoldoutFraction = 0.25 });
            return new BenchCorpus(prepared, $"generated ({datasets * corpus.Options.CellsPerDataset} cells, ~{genesPerCell} expressed genes)", root);
        }
        catch
        {
            System.IO.Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        if (temporary is not null && System.IO.Directory.Exists(temporary)) System.IO.Directory.Delete(temporary, recursive: true);
    }
}
