using Geneformer.Data.Matrix;
using Geneformer.Data.Synthetic;

namespace Geneformer.Data.Tests;

/// <summary>A synthetic corpus exposed as placeholder files in a temp folder plus an opener that serves the generated sources.</summary>
internal sealed class CorpusTestData
{
    public SyntheticCorpus Corpus { get; }
    public string InputDir { get; }
    public Dictionary<string, Func<ICellSource>> Sources { get; } = new(StringComparer.Ordinal);

    public CorpusTestData(string root, SyntheticCorpusOptions options)
    {
        Corpus = new SyntheticCorpus(options);
        InputDir = Path.Combine(root, "inputs");
        Directory.CreateDirectory(InputDir);
        for (int d = 0; d < Corpus.Datasets.Count; d++)
        {
            var path = Path.Combine(InputDir, Corpus.FileName(d));
            File.WriteAllText(path, $"placeholder for synthetic dataset {d}");
            var index = d;
            Sources[path] = () => Corpus.Open(index);
        }
    }

    public static SyntheticCorpusOptions Small(int datasets = 8, ulong seed = 5) =>
        new() { Datasets = datasets, CellsPerDataset = 120, GenesPerCell = 200, GeneCount = 2000, ProgramGenes = 40, Seed = seed, FilteredOutFraction = 0.1 };

    public ICellSource Open(string path) => Sources.TryGetValue(path, out var f) ? f() : throw new FileNotFoundException($"{path}: unknown test input");
}
