using System.Diagnostics;
using Geneformer.Data.Corpus;
using Geneformer.Data.Matrix;
using Geneformer.Data.Medians;
using Geneformer.Data.Pipeline;
using Geneformer.Data.Synthetic;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

public class CorpusBuilderTests
{
    private static CorpusBuildOptions Options(CorpusTestData data, string output) => new()
    {
        Inputs = [data.InputDir], Output = output, Seed = 9, RowsPerShard = 150, BatchRows = 64, CellsPerBlock = 50, HoldoutFraction = 0.01,
    };

    [Fact]
    public void BuildsASplitTokenizedCorpusThatReadsBackCellForCell()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small());
        var manifest = new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]));

        using var reader = CorpusReader.Open(tmp["corpus"]);
        var medians = DictionaryFiles.LoadMedians(Path.Combine(tmp["corpus"], "medians.tsv"));
        var tokenizer = new RankValueTokenizer(reader.Vocabulary, medians, TokenMode.V1);
        Assert.Equal(reader.Vocabulary.Count, manifest.VocabularySize);

        // Expected: every filtered-in cell, tokenized independently, keyed by cell id.
        var expected = new Dictionary<string, (short[] Tokens, CellMetadata Meta)>();
        long dropped = 0;
        for (int d = 0; d < data.Corpus.Datasets.Count; d++)
        {
            using var s = data.Corpus.Open(d);
            var keep = ObsFilter.Evaluate(s, CellFilterOptions.CellxGene).Keep;
            dropped += keep.Count(k => !k);
            var meta = SourceMetadata.Read(s);
            var cols = tokenizer.MapColumns(s.GeneIds);
            var buf = new short[2048];
            foreach (var b in s.ReadBlocks())
                for (int c = 0; c < b.CellCount; c++)
                {
                    var row = (int)b.FirstCell + c;
                    if (!keep[row]) continue;
                    var n = tokenizer.Tokenize(cols, (CellBlockView)b, c, buf);
                    expected[s.CellIds[row]] = (buf[..n], meta.For(row));
                }
        }
        Assert.True(dropped > 0, "the synthetic data should contain cells the CELLxGENE filters drop");

        var splits = CorpusManifest.SplitNames.Select(reader.Split).ToArray();
        Assert.Equal(expected.Count, splits.Sum(s => s.Count));
        Assert.Equal(manifest.Counts.Values.Sum(), expected.Count);
        Assert.True(manifest.Shards["train"].Count > 1, "rows per shard 150 should give several train shards");
        var seen = new HashSet<string>();
        foreach (var split in splits)
        {
            Assert.Equal(manifest.Counts[split.Name], split.Count);
            for (long i = split.Count - 1; i >= 0; i -= 7) // random-ish order across shards and batches
            {
                var meta = split.Metadata(i);
                Assert.True(seen.Add(meta.CellId));
                var (tokens, m) = expected[meta.CellId];
                Assert.Equal(m, meta);
                Assert.Equal(tokens, split.Tokens(i).ToArray());
                Assert.Equal(tokens.Length, split.Length(i));
                Assert.Equal(m.DatasetId, split.DatasetId(i));
                var copy = new short[2048];
                Assert.Equal(tokens.Length, split.CopyTokens(i, copy));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => splits[0].Tokens(splits[0].Count));
    }

    [Fact]
    public void SplitsByDatasetKeepingEveryAssayAndTissueInTrainWithOneWholeTestDataset()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 12));
        var manifest = new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]));
        Assert.Equal("by-dataset", manifest.Split.Strategy);
        var whole = Assert.Single(manifest.Split.WholeTestDatasets);
        Assert.NotEmpty(manifest.Split.CellSplitDatasets);
        var byId = manifest.Datasets.ToDictionary(d => d.DatasetId);
        Assert.Equal(byId[whole].Cells, byId[whole].Test);
        foreach (var id in manifest.Split.CellSplitDatasets)
        {
            Assert.Equal(0, byId[id].Train);
            Assert.True(byId[id].Validation > 0 && byId[id].Test > 0);
        }
        var train = manifest.Datasets.Where(d => d.Train > 0).ToList();
        Assert.Equal(manifest.Datasets.Count - 1 - manifest.Split.CellSplitDatasets.Count, train.Count);
        Assert.All(train, d => Assert.Equal(d.Cells, d.Train));
        Assert.Equal(manifest.Datasets.SelectMany(d => d.Assays).ToHashSet(), train.SelectMany(d => d.Assays).ToHashSet());
        Assert.Equal(manifest.Datasets.SelectMany(d => d.Tissues).ToHashSet(), train.SelectMany(d => d.Tissues).ToHashSet());
    }

    [Theory]
    [InlineData(MedianMethod.Exact)]
    [InlineData(MedianMethod.Sketch)]
    public void SameInputsAndSeedGiveAByteIdenticalCorpusWithAnyThreadCount(MedianMethod medians)
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 5));
        new CorpusBuilder(data.Open).Build(Options(data, tmp["a"]) with { Threads = 3, CellsPerBlock = 100, MedianMethod = medians });
        new CorpusBuilder(data.Open).Build(Options(data, tmp["b"]) with { Threads = 1, MedianMethod = medians }); // median and tokenizer threads do not change a byte
        new CorpusBuilder(data.Open).Build(Options(data, tmp["c"]) with { Seed = 10, MedianMethod = medians });
        var files = Directory.GetFiles(tmp["a"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tmp["a"], f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(tmp["b"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tmp["b"], f)).Order());
        foreach (var f in files) Assert.Equal(File.ReadAllBytes(Path.Combine(tmp["a"], f)), File.ReadAllBytes(Path.Combine(tmp["b"], f)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(tmp["a"], "manifest.json")), File.ReadAllBytes(Path.Combine(tmp["c"], "manifest.json")));
    }

    [Fact]
    public void FewDatasetsAreSplitByCellAndTheManifestSaysSo()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 2) with { CellsPerDataset = 400 });
        var manifest = new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]) with { HoldoutFraction = 0.2 });
        Assert.Equal("by-cell", manifest.Split.Strategy);
        Assert.Contains("< 3", manifest.Split.Note);
        Assert.All(manifest.Datasets, d => Assert.True(d.Train > 0 && d.Validation > 0 && d.Test > 0));
        Assert.InRange(manifest.Counts["validation"] + manifest.Counts["test"], 0.1 * manifest.Counts.Values.Sum(), 0.3 * manifest.Counts.Values.Sum());
    }

    [Fact]
    public void ImportedGc30MDictionariesKeepTheirIdsInEveryMode()
    {
        using var tmp = new TempDir();
        var ids = SyntheticCorpus.GeneIdsFromTokenDictionary(SharedData.File("geneformer-dicts", "gc30M", "token_dictionary_gc30M.tsv"), 3000)!;
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 3) with { GeneIds = ids });
        var vocabPath = SharedData.File("geneformer-dicts", "gc30M", "token_dictionary_gc30M.pkl");
        var mediansPath = SharedData.File("geneformer-dicts", "gc30M", "gene_median_dictionary_gc30M.pkl");
        foreach (var mode in new[] { TokenMode.V1, TokenMode.BioNeMo, TokenMode.V2 })
        {
            var dir = tmp[mode.Name()];
            var manifest = new CorpusBuilder(data.Open).Build(Options(data, dir) with { VocabularyPath = vocabPath, MediansPath = mediansPath, TokenMode = mode });
            Assert.Equal(mode switch { TokenMode.V1 => 25_426, TokenMode.V2 => 25_428, _ => 25_429 }, manifest.VocabularySize); // v2 appends <cls>, <eos>; bionemo also <unk>
            Assert.Equal("imported", manifest.MedianMethod);
            using var reader = CorpusReader.Open(dir);
            Assert.Equal(2, reader.Vocabulary.Id("ENSG00000000003"));
            var t = reader.Split("train").Tokens(0);
            if (mode != TokenMode.V1) Assert.Equal(reader.Vocabulary.ClsId, t[0]);
            if (mode == TokenMode.V2) Assert.Equal(reader.Vocabulary.EosId, t[^1]);
            Assert.Equal(mode == TokenMode.V2 ? 4096 : 2048, manifest.MaxLength);
        }
    }

    [Fact]
    public void SketchMediansAreCloseToExactOnes()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 4));
        Assert.Equal("exact", new CorpusBuilder(data.Open).Build(Options(data, tmp["exact"])).MedianMethod); // auto: a small corpus
        var m = new CorpusBuilder(data.Open).Build(Options(data, tmp["sketch"]) with { MedianMethod = MedianMethod.Sketch });
        Assert.Equal(0.005, m.MedianRelativeAccuracy);
        var exact = DictionaryFiles.LoadMedians(Path.Combine(tmp["exact"], "medians.tsv"));
        var sketch = DictionaryFiles.LoadMedians(Path.Combine(tmp["sketch"], "medians.tsv"));
        Assert.Equal(exact.Genes, sketch.Genes);
        foreach (var g in exact.Genes) Assert.InRange(sketch[g], exact[g] * 0.995, exact[g] * 1.005);
    }

    [Fact]
    public void ExactMediansAreComputedOverTrainingCellsOnly()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 6));
        var manifest = new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]) with { Filter = CellFilterOptions.None });
        var acc = new ExactMedianAccumulator();
        var trainIds = manifest.Datasets.Where(d => d.Train == d.Cells).Select(d => d.DatasetId).ToHashSet();
        var geneIds = data.Corpus.GeneIds;
        for (int d = 0; d < data.Corpus.Datasets.Count; d++)
        {
            if (!trainIds.Contains(data.Corpus.Datasets[d].DatasetId)) continue;
            using var s = data.Corpus.Open(d);
            foreach (var b in s.ReadBlocks())
                for (int c = 0; c < b.CellCount; c++)
                {
                    double total = 0;
                    for (int j = b.IndPtr[c]; j < b.IndPtr[c + 1]; j++) total += b.Values[j];
                    for (int j = b.IndPtr[c]; j < b.IndPtr[c + 1]; j++) acc.Add(b.GeneIndices[j], b.Values[j] / total * 10_000);
                }
        }
        var medians = DictionaryFiles.LoadMedians(Path.Combine(tmp["corpus"], "medians.tsv"));
        Assert.Equal(Enumerable.Range(0, geneIds.Count).Where(g => acc.Count(g) > 0).Select(g => geneIds[g]).Order(StringComparer.Ordinal), medians.Genes);
        for (int g = 0; g < geneIds.Count; g += 13)
            if (acc.Count(g) > 0) Assert.Equal(acc.Median(g), medians[geneIds[g]]);
    }

    [Theory]
    [InlineData("negative")]
    [InlineData("nan")]
    [InlineData("duplicate-cell")]
    [InlineData("no-genes")]
    [InlineData("unreadable")]
    public void BadInputStopsNamingTheFileAndLeavesNoOutput(string fault)
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 3));
        var badPath = data.Sources.Keys.Order().Last();
        var obs = new Dictionary<string, string?[]> { ["dataset_id"] = ["bad", "bad"] };
        data.Sources[badPath] = fault switch
        {
            "negative" => () => new InMemoryCellSource(badPath, ["ENSG1", "ENSG2"], ["c1", "c2"], obs, [0, 1, 2], [0, 1], [3, -2]),
            "nan" => () => new InMemoryCellSource(badPath, ["ENSG1", "ENSG2"], ["c1", "c2"], obs, [0, 1, 2], [0, 1], [3, float.NaN]),
            "duplicate-cell" => () => new InMemoryCellSource(badPath, ["ENSG1", "ENSG2"], ["c1", "c1"], obs, [0, 1, 2], [0, 1], [3, 2]),
            "no-genes" => () => new InMemoryCellSource(badPath, [], ["c1", "c2"], obs, [0, 0, 0], [], []),
            _ => () => throw new IOException("truncated HDF5 superblock"),
        };
        var options = Options(data, tmp["corpus"]);
        var e = Assert.Throws<InvalidDataException>(() => new CorpusBuilder(data.Open).Build(options));
        Assert.Contains(badPath, e.Message);
        Assert.Contains(fault switch { "negative" => "-2", "nan" => "NaN", "duplicate-cell" => "'c1'", "no-genes" => "gene ids", _ => "truncated" }, e.Message);
        Assert.False(Directory.Exists(tmp["corpus"]));
        Assert.Empty(Directory.GetDirectories(tmp.Path, ".corpus*"));

        // Imported medians skip the medians pass: the bad count must still be caught while tokenizing.
        if (fault is "negative" or "nan")
        {
            var imported = options with { MediansPath = Path.Combine(tmp.Path, "m.tsv") };
            File.WriteAllText(imported.MediansPath, "ensembl_id\tmedian\nENSG1\t1\nENSG2\t1\n" + string.Join("", data.Corpus.GeneIds.Select(g => $"{g}\t1\n")));
            Assert.Contains("(X)", Assert.Throws<InvalidDataException>(() => new CorpusBuilder(data.Open).Build(imported)).Message);
            Assert.False(Directory.Exists(tmp["corpus"]));
        }
    }

    [Fact]
    public void Files_scanned_in_parallel_report_the_first_bad_file_in_input_order()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 6));
        var paths = data.Sources.Keys.Order().ToList();
        foreach (var bad in new[] { paths[1], paths[4] })
        {
            var path = bad;
            data.Sources[path] = () => throw new IOException($"truncated HDF5 superblock in {Path.GetFileName(path)}");
        }
        for (int run = 0; run < 3; run++)
        {
            var e = Assert.Throws<InvalidDataException>(() => new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]) with { Threads = 4 }));
            Assert.Contains(paths[1], e.Message);
            Assert.False(Directory.Exists(tmp["corpus"]));
        }
    }

    [Fact]
    public void RefusesToOverwriteUnlessAsked()
    {
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 2));
        Directory.CreateDirectory(tmp["corpus"]);
        Assert.Throws<IOException>(() => new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"])));
        new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]) with { Overwrite = true });
        Assert.True(File.Exists(Path.Combine(tmp["corpus"], "manifest.json")));
    }

    [Fact]
    public void ShardsAreStandardArrowReadableByTheJavaScriptLibrary()
    {
        var module = Environment.GetEnvironmentVariable("GENEFORMER_APACHE_ARROW_JS"); // node_modules folder holding apache-arrow
        if (module is null || !Directory.Exists(Path.Combine(module, "apache-arrow"))) return; // optional check: needs `npm install apache-arrow`
        using var tmp = new TempDir();
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small(datasets: 2));
        new CorpusBuilder(data.Open).Build(Options(data, tmp["corpus"]));
        using var reader = CorpusReader.Open(tmp["corpus"]);
        var split = reader.Split("train");
        var script = $$"""
            const { tableFromIPC } = require('apache-arrow');
            const t = tableFromIPC(require('fs').readFileSync(process.argv[2]));
            const r = t.get(3);
            console.log([t.numRows, r.length, Array.from(r.input_ids).join(','), r.dataset_id, r.cell_id].join('|'));
            """;
        File.WriteAllText(tmp["read.js"], script);
        var psi = new ProcessStartInfo("node", [tmp["read.js"], Path.Combine(tmp["corpus"], "train", "part-00000.arrow")]) { RedirectStandardOutput = true };
        psi.Environment["NODE_PATH"] = module;
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.Equal($"{reader.Manifest.Shards["train"][0].Rows}|{split.Length(3)}|{string.Join(',', split.Tokens(3).ToArray())}|{split.DatasetId(3)}|{split.CellId(3)}", line);
    }
}
