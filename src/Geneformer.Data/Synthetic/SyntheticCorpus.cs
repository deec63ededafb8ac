using Geneformer.Data.Matrix;
using Geneformer.Data.Pipeline;

namespace Geneformer.Data.Synthetic;

/// <summary>
/// A deterministic CELLxGENE-like corpus: datasets with assays, tissues, donors and cell types, and raw
/// counts drawn from a negative binomial. Every gene has a baseline level. Cell types are gene programs: all share
/// one set of <see cref="SyntheticCorpusOptions.ProgramGenes"/> genes, each at a fold change of its own type (so the
/// types differ in the order of the same genes, as related cell types do), plus a few marker genes of their own, which its cells
/// express <see cref="SyntheticCorpusOptions.MarkerBoost"/> times more often than other cells do.
/// Geneformer's tokenizer divides each gene by its median over all cells, so in a cell the genes its type raises
/// most above their usual level rank first. Which genes lead, and in which order, says the type, and a model can
/// learn it from the rank order of a cell's unmasked genes. Cells are generated on demand from (seed, dataset,
/// cell): nothing large is held in memory.
/// </summary>
public sealed class SyntheticCorpus
{
    /// <summary>Log fold change of a shared program gene in a cell type: normal, so each type orders the shared genes its own way.</summary>
    private const double SharedLogFoldMean = 1.0;
    private const double SharedLogFoldSpread = 1.5;
    /// <summary>Log fold change of a cell type's own marker genes.</summary>
    private const double MarkerLogFoldMean = 1.5;
    private const double MarkerLogFoldSpread = 0.5;
    /// <summary>Program genes are expressed this much more often, whatever the cell type: which program genes a cell expresses says little of its type; their order says it.</summary>
    private const double ProgramWeightBoost = 30;
    private const double Dispersion = 2;

    private readonly double[] baseWeight;
    private readonly double meanWeight;
    private readonly Dictionary<int, double>[] programs; // gene -> fold change, per cell type
    private readonly Lazy<AliasTable>[] samplers;

    public SyntheticCorpusOptions Options { get; }
    public IReadOnlyList<string> GeneIds { get; }
    public IReadOnlyList<SyntheticDataset> Datasets { get; }

    public SyntheticCorpus(SyntheticCorpusOptions options)
    {
        if (options.Datasets < 1 || options.CellsPerDataset < 1 || options.GenesPerCell < 1) throw new ArgumentException("datasets, cells per dataset and genes per cell must be positive");
        if (!(options.MarkerBoost > 0)) throw new ArgumentException($"marker boost ({options.MarkerBoost}) must be positive: how many times more often a cell expresses its type's marker genes");
        if (options.ProgramGenes < 0 || options.MarkerGenes < 0) throw new ArgumentException($"program genes ({options.ProgramGenes}) and marker genes ({options.MarkerGenes}) must be 0 or more");
        Options = options;
        GeneIds = options.GeneIds ?? Enumerable.Range(0, options.GeneCount).Select(i => $"ENSG{100_000 + 37L * i:D11}").ToArray();
        if (options.GenesPerCell > GeneIds.Count / 2) throw new ArgumentException($"{options.GenesPerCell} genes per cell needs at least {2 * options.GenesPerCell} genes, not {GeneIds.Count}");

        baseWeight = new double[GeneIds.Count];
        for (int g = 0; g < baseWeight.Length; g++)
        {
            var rng = new SyntheticRandom(StableHash.Of(options.Seed, "gene:" + GeneIds[g]));
            baseWeight[g] = Math.Exp(1.2 * rng.NextNormal());
        }
        meanWeight = baseWeight.Average();
        var shared = new List<int>();
        var sharedRng = new SyntheticRandom(StableHash.Of(options.Seed, "program:shared"));
        while (shared.Count < Math.Min(options.ProgramGenes, GeneIds.Count / 4))
            if (sharedRng.Next(GeneIds.Count) is var g && !shared.Contains(g)) shared.Add(g);
        var sharedSet = shared.ToHashSet();
        programs = SyntheticCatalog.CellTypes.Select(ct =>
        {
            var rng = new SyntheticRandom(StableHash.Of(options.Seed, "program:" + ct));
            var folds = shared.ToDictionary(g => g, _ => Math.Exp(SharedLogFoldMean + SharedLogFoldSpread * rng.NextNormal()));
            for (var added = 0; added < options.MarkerGenes && folds.Count < GeneIds.Count / 2;)
                if (folds.TryAdd(rng.Next(GeneIds.Count), Math.Exp(MarkerLogFoldMean + MarkerLogFoldSpread * rng.NextNormal()))) added++;
            return folds;
        }).ToArray();
        samplers = programs.Select(p => new Lazy<AliasTable>(() =>
        {
            var w = (double[])baseWeight.Clone();
            foreach (var g in p.Keys) w[g] *= sharedSet.Contains(g) ? ProgramWeightBoost : options.MarkerBoost;
            return new AliasTable(w);
        })).ToArray();

        // Each assay and tissue in at least two datasets when there are enough, so a dataset split can keep all in train.
        int tissues = Math.Clamp(options.Datasets / 2, 1, SyntheticCatalog.Tissues.Length);
        int assays = Math.Clamp(options.Datasets / 2, 1, SyntheticCatalog.Assays.Length);
        Datasets = Enumerable.Range(0, options.Datasets).Select(d =>
        {
            var t = SyntheticCatalog.Tissues[d % tissues];
            var a = SyntheticCatalog.Assays[(d / tissues + d) % assays];
            return new SyntheticDataset(d, Uuid(StableHash.Of(options.Seed, $"dataset:{d}")), a, t.General, t.Tissues, t.CellTypes);
        }).ToArray();
    }

    /// <summary>Gene ids from a Geneformer token dictionary TSV (special tokens skipped), or null when the file is absent.</summary>
    public static IReadOnlyList<string>? GeneIdsFromTokenDictionary(string? tsvPath, int count)
    {
        if (tsvPath is null || !File.Exists(tsvPath)) return null;
        return Vocabulary.DictionaryFiles.LoadVocabulary(tsvPath).Tokens.Where(t => !Vocabulary.SpecialTokens.IsSpecial(t)).Take(count).ToArray();
    }

    /// <summary>The dataset as a cell source (generated on the fly, block by block).</summary>
    public ICellSource Open(int dataset) => new SyntheticCellSource(this, Datasets[dataset]);

    /// <summary>The source path a dataset is known by: <c>DATASET_ID.h5ad</c> under <paramref name="directory"/>.</summary>
    public string FileName(int dataset) => Datasets[dataset].DatasetId + ".h5ad";

    internal SyntheticCellObs CellObs(SyntheticDataset d, int cell)
    {
        var rng = new SyntheticRandom(StableHash.Of(Options.Seed, $"obs:{d.Index}:{cell}"));
        var barcode = new char[16];
        for (int i = 0; i < 16; i++) barcode[i] = "ACGT"[rng.Next(4)];
        int donor = rng.Next(4);
        var obs = new SyntheticCellObs(
            CellId: $"{new string(barcode)}-{cell}",
            CellTypeIndex: Array.IndexOf(SyntheticCatalog.CellTypes, d.CellTypes[rng.Next(d.CellTypes.Count)]),
            Tissue: d.Tissues[rng.Next(d.Tissues.Count)],
            Donor: $"donor-{d.Index}-{donor}",
            Sex: SyntheticCatalog.Sexes[(d.Index + donor) % 2],
            DevelopmentStage: SyntheticCatalog.DevelopmentStages[(d.Index * 3 + donor) % SyntheticCatalog.DevelopmentStages.Length],
            Ethnicity: SyntheticCatalog.Ethnicities[(d.Index + 2 * donor) % SyntheticCatalog.Ethnicities.Length],
            IsPrimary: true, Disease: "normal", SuspensionType: d.Assay == "Smart-seq2" ? "cell" : (d.Index % 3 == 0 ? "nucleus" : "cell"));
        if (rng.NextDouble() < Options.FilteredOutFraction)
            obs = rng.Next(3) switch
            {
                0 => obs with { IsPrimary = false },
                1 => obs with { Disease = "COVID-19" },
                _ => obs with { SuspensionType = "na" },
            };
        return obs;
    }

    /// <summary>Appends one cell's expressed genes (ascending column) and raw counts.</summary>
    internal void CellCounts(SyntheticDataset d, int cell, int cellTypeIndex, List<int> genes, List<float> counts, int[] stamp, int stampValue)
    {
        var rng = new SyntheticRandom(StableHash.Of(Options.Seed, $"counts:{d.Index}:{cell}"));
        int target = (int)(Options.GenesPerCell * (0.8 + 0.4 * rng.NextDouble()));
        var sampler = samplers[cellTypeIndex].Value;
        var program = programs[cellTypeIndex];
        int start = genes.Count;
        for (int tries = 0; genes.Count - start < target && tries < 20 * target; tries++)
        {
            int g = sampler.Sample(ref rng);
            if (stamp[g] == stampValue) continue;
            stamp[g] = stampValue;
            genes.Add(g);
        }
        genes.Sort(start, genes.Count - start, null);
        for (int i = start; i < genes.Count; i++)
        {
            int g = genes[i];
            double mean = (0.5 + 2 * Math.Sqrt(baseWeight[g] / meanWeight)) * program.GetValueOrDefault(g, 1.0);
            counts.Add(1 + rng.NextNegativeBinomial(mean, Dispersion));
        }
    }

    private static string Uuid(ulong h)
    {
        var h2 = StableHash.SplitMix64(h);
        var hex = $"{h:x16}{h2:x16}";
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
