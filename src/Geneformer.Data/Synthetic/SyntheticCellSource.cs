using Geneformer.Data.Matrix;

namespace Geneformer.Data.Synthetic;

/// <summary>One synthetic dataset as an <see cref="ICellSource"/>, with the CELLxGENE obs columns; counts are generated per block.</summary>
internal sealed class SyntheticCellSource : ICellSource
{
    private readonly SyntheticCorpus corpus;
    private readonly SyntheticDataset dataset;
    private readonly SyntheticCellObs[] obs;
    private readonly Dictionary<string, Func<SyntheticCellObs, string?>> columns;

    public string Path { get; }
    public long CellCount => obs.Length;
    public IReadOnlyList<string> GeneIds => corpus.GeneIds;
    public IReadOnlyList<string> CellIds { get; }
    public IReadOnlyList<string> ObsColumns { get; }

    public SyntheticCellSource(SyntheticCorpus corpus, SyntheticDataset dataset)
    {
        this.corpus = corpus;
        this.dataset = dataset;
        Path = corpus.FileName(dataset.Index);
        obs = Enumerable.Range(0, corpus.Options.CellsPerDataset).Select(c => corpus.CellObs(dataset, c)).ToArray();
        CellIds = obs.Select(o => o.CellId).ToArray();
        columns = new Dictionary<string, Func<SyntheticCellObs, string?>>(StringComparer.Ordinal)
        {
            ["dataset_id"] = _ => dataset.DatasetId,
            ["donor_id"] = o => o.Donor,
            ["assay"] = _ => dataset.Assay,
            ["cell_type"] = o => SyntheticCatalog.CellTypes[o.CellTypeIndex],
            ["tissue"] = o => o.Tissue,
            ["tissue_general"] = _ => dataset.TissueGeneral,
            ["sex"] = o => o.Sex,
            ["development_stage"] = o => o.DevelopmentStage,
            ["self_reported_ethnicity"] = o => o.Ethnicity,
            ["organism"] = _ => "Homo sapiens",
            ["disease"] = o => o.Disease,
            ["is_primary_data"] = o => o.IsPrimary ? "True" : "False",
            ["suspension_type"] = o => o.SuspensionType,
        };
        ObsColumns = columns.Keys.ToArray();
    }

    public IReadOnlyList<string?> ReadObsColumn(string name) =>
        columns.TryGetValue(name, out var f) ? obs.Select(f).ToArray() : throw new KeyNotFoundException($"{Path}: no obs column '{name}'");

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024)
    {
        var stamp = new int[GeneIds.Count];
        int stampValue = 0;
        for (int first = 0; first < obs.Length; first += cellsPerBlock)
        {
            int n = Math.Min(cellsPerBlock, obs.Length - first);
            var genes = new List<int>(n * corpus.Options.GenesPerCell * 6 / 5);
            var counts = new List<float>(genes.Capacity);
            var ptr = new int[n + 1];
            for (int i = 0; i < n; i++)
            {
                corpus.CellCounts(dataset, first + i, obs[first + i].CellTypeIndex, genes, counts, stamp, ++stampValue);
                ptr[i + 1] = genes.Count;
            }
            yield return new CellBlock(first, ptr, genes.ToArray(), counts.ToArray());
        }
    }

    public void Dispose() { }
}
