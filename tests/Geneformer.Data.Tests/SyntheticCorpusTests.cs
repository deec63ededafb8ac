using Geneformer.Data.Matrix;
using Geneformer.Data.Synthetic;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

public class SyntheticCorpusTests
{
    private static (List<int[]> Genes, List<float[]> Counts) Cells(ICellSource s)
    {
        var genes = new List<int[]>();
        var counts = new List<float[]>();
        foreach (var b in s.ReadBlocks(37))
            for (int c = 0; c < b.CellCount; c++)
            {
                genes.Add(b.GeneIndices[b.IndPtr[c]..b.IndPtr[c + 1]]);
                counts.Add(b.Values[b.IndPtr[c]..b.IndPtr[c + 1]]);
            }
        return (genes, counts);
    }

    [Fact]
    public void SameSeedSameCorpusOtherSeedOther()
    {
        var o = CorpusTestData.Small(seed: 11);
        var a = new SyntheticCorpus(o);
        var b = new SyntheticCorpus(o);
        var c = new SyntheticCorpus(o with { Seed = 12 });
        Assert.Equal(a.Datasets, b.Datasets);
        using var sa = a.Open(3);
        using var sb = b.Open(3);
        using var sc = c.Open(3);
        Assert.Equal(sa.CellIds, sb.CellIds);
        foreach (var col in sa.ObsColumns) Assert.Equal(sa.ReadObsColumn(col), sb.ReadObsColumn(col));
        var (ga, ca) = Cells(sa);
        var (gb, cb) = Cells(sb);
        Assert.Equal(ga, gb);
        Assert.Equal(ca, cb);
        Assert.NotEqual(ga, Cells(sc).Genes);
    }

    [Fact]
    public void CellsLookLikeRawCountsWithTheRequestedNumberOfGenes()
    {
        var corpus = new SyntheticCorpus(new SyntheticCorpusOptions { Datasets = 2, CellsPerDataset = 50, Seed = 3 });
        Assert.Equal(25_000, corpus.GeneIds.Count);
        Assert.All(corpus.GeneIds, g => Assert.Matches("^ENSG[0-9]{11}$", g));
        using var s = corpus.Open(0);
        var (genes, counts) = Cells(s);
        Assert.Equal(50, genes.Count);
        Assert.InRange(genes.Average(g => g.Length), 1800, 2200);
        Assert.All(genes, g => Assert.True(g.Zip(g.Skip(1)).All(p => p.First < p.Second))); // sorted, distinct columns
        Assert.All(counts, c => Assert.All(c, x => Assert.True(x >= 1 && x == MathF.Round(x))));
        Assert.Contains(counts.SelectMany(c => c), x => x >= 5);
    }

    [Fact]
    public void UsesGc30MGeneIdsWhenGiven()
    {
        var ids = SyntheticCorpus.GeneIdsFromTokenDictionary(SharedData.File("geneformer-dicts", "gc30M", "token_dictionary_gc30M.tsv"), 25_000)!;
        Assert.Equal(25_000, ids.Count);
        Assert.Equal("ENSG00000000003", ids[0]);
        Assert.Null(SyntheticCorpus.GeneIdsFromTokenDictionary("/nonexistent.tsv", 10));
    }

    [Fact]
    public void CellTypesShareTheirProgramGenesButRankThemInAnOrderOfTheirOwn()
    {
        // Geneformer ranks a cell's genes by count / cell total / the gene's median over all cells. After that
        // normalisation, a cell's top genes must say its type; the genes it expresses at all must say little.
        var corpus = new SyntheticCorpus(CorpusTestData.Small(datasets: 2) with { CellsPerDataset = 200 });
        using var s = corpus.Open(0);
        var types = s.ReadObsColumn("cell_type");
        var (genes, counts) = Cells(s);
        var normalised = genes.Select((g, i) => g.Zip(counts[i].Select(c => c / counts[i].Sum())).ToArray()).ToList();
        var median = normalised.SelectMany(c => c).GroupBy(x => x.First)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Second).Order().ElementAt(g.Count() / 2));
        var top = normalised.Select(c => c.OrderByDescending(x => x.Second / median[x.First]).Take(30).Select(x => x.First).ToHashSet()).ToList();
        var expressed = genes.Select(g => g.ToHashSet()).ToList();
        double Ratio(List<HashSet<int>> sets)
        {
            double within = 0, across = 0;
            int nw = 0, na = 0;
            for (int i = 0; i < 100; i++)
                for (int j = i + 1; j < 100; j++)
                {
                    var overlap = (double)sets[i].Intersect(sets[j]).Count() / Math.Min(sets[i].Count, sets[j].Count);
                    if (types[i] == types[j]) { within += overlap; nw++; } else { across += overlap; na++; }
                }
            return within / nw / (across / na);
        }
        Assert.True(Ratio(top) > 2, $"top-30 overlap within type / across types: {Ratio(top):F2}");
        Assert.True(Ratio(expressed) < 1.2, $"expressed-gene overlap within type / across types: {Ratio(expressed):F2}");
    }

    [Fact]
    public void MarkerBoostSetsHowMuchMoreOftenCellsOfATypeShareItsMarkers()
    {
        double WithinOverAcross(double boost)
        {
            var options = CorpusTestData.Small(datasets: 2) with { CellsPerDataset = 150, ProgramGenes = 0, MarkerGenes = 300, MarkerBoost = boost };
            using var s = new SyntheticCorpus(options).Open(0);
            var types = s.ReadObsColumn("cell_type");
            var expressed = Cells(s).Genes.Select(g => g.ToHashSet()).ToList();
            double within = 0, across = 0;
            int nw = 0, na = 0;
            for (int i = 0; i < expressed.Count; i++)
                for (int j = i + 1; j < expressed.Count; j++)
                {
                    var overlap = (double)expressed[i].Intersect(expressed[j]).Count() / Math.Min(expressed[i].Count, expressed[j].Count);
                    if (types[i] == types[j]) { within += overlap; nw++; } else { across += overlap; na++; }
                }
            return within / nw / (across / na);
        }
        var none = WithinOverAcross(1);
        var some = WithinOverAcross(2);
        var strong = WithinOverAcross(8);
        Assert.InRange(none, 0.9, 1.1); // a boost of 1 makes markers ordinary genes
        Assert.True(some > none + 0.03 && strong > some + 0.3, $"within-type over across-type overlap of expressed genes: boost 1 {none:F2}, 2 {some:F2}, 8 {strong:F2}");
    }

    [Fact]
    public void ANonPositiveMarkerBoostIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SyntheticCorpus(CorpusTestData.Small() with { MarkerBoost = 0 }));
        Assert.Contains("marker boost (0)", e.Message);
    }

    [Fact]
    public void MetadataCoversSeveralAssaysTissuesAndSomeCellsToFilter()
    {
        var corpus = new SyntheticCorpus(CorpusTestData.Small(datasets: 8));
        Assert.Equal(8, corpus.Datasets.Select(d => d.DatasetId).Distinct().Count());
        Assert.True(corpus.Datasets.Select(d => d.Assay).Distinct().Count() >= 3);
        Assert.True(corpus.Datasets.Select(d => d.TissueGeneral).Distinct().Count() >= 3);
        using var s = corpus.Open(1);
        Assert.Contains("False", s.ReadObsColumn("is_primary_data"));
        Assert.Contains("Homo sapiens", s.ReadObsColumn("organism"));
    }
}
