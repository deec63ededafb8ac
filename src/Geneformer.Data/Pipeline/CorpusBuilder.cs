using Geneformer.Data.Corpus;
using Geneformer.Common.IO;
using Geneformer.Data.IO;
using Geneformer.Data.Matrix;
using Geneformer.Data.Medians;
using Geneformer.Data.Tokenization;
using Geneformer.Data.Vocabulary;

namespace Geneformer.Data.Pipeline;

/// <summary>
/// Prepares a corpus directory from single-cell files in three streaming passes, holding one block of
/// cells (plus one file's obs columns) in memory at a time:
/// 1. scan: obs metadata, CELLxGENE filters, input checks, then the dataset_id split plan;
/// 2. medians over the training split (skipped when a median dictionary is given);
/// 3. tokenize every kept cell and append it to its split's Arrow shards.
/// The directory appears only when complete (<see cref="AtomicDirectory"/>); on any error nothing is left.
/// </summary>
public sealed class CorpusBuilder(Func<string, ICellSource> open, Action<CorpusProgress>? progress = null)
{
    private const double TargetSum = 10_000;
    private const string Unknown = "unknown";

    private sealed record FileScan(string Path, string Sha256, long Cells, long Kept, IReadOnlyList<string> NotApplied);

    public CorpusManifest Build(CorpusBuildOptions o)
    {
        var inputs = CorpusInputs.Expand(o.Inputs);
        var output = Path.GetFullPath(o.Output);
        if (Directory.Exists(output) && !o.Overwrite) throw new IOException($"{output} already exists; choose another --output or remove it");
        if (o.RowsPerShard < 1) throw new ArgumentException($"rows per shard must be positive, not {o.RowsPerShard}");
        var givenVocab = o.VocabularyPath is null ? null : DictionaryFiles.LoadVocabulary(o.VocabularyPath).ForMode(o.TokenMode);
        var givenMedians = o.MediansPath is null ? null : DictionaryFiles.LoadMedians(o.MediansPath);

        var (scans, datasets) = Scan(inputs, o);
        var plan = DatasetSplitter.Plan(datasets, o.Seed, o.HoldoutFraction, o.ValidationShareOfHoldout);
        o = o with { MedianMethod = MedianAccumulators.Resolve(o.MedianMethod, scans.Sum(s => s.Kept)) };

        IMedianAccumulator? accumulator = null;
        var medians = givenMedians ?? ComputeMedians(inputs, o, plan, givenVocab, out accumulator);
        var vocab = givenVocab ?? GeneVocabulary.Build(medians.Genes.Where(g => medians[g] > 0), o.TokenMode);
        RankValueTokenizer NewTokenizer() => new(vocab, medians, o.TokenMode, o.MaxLength);
        var tokenizer = NewTokenizer();
        if (tokenizer.UsableGenes == 0) throw new InvalidDataException("no vocabulary gene has a positive median: the vocabulary and the medians share no gene ids");

        using var dir = new AtomicDirectory(output);
        var allDatasetIds = datasets.Select(d => d.DatasetId).Order(StringComparer.Ordinal).ToList();
        var (shards, perDataset, emptyCells) = Tokenize(inputs, o, plan, NewTokenizer, dir.TempPath, allDatasetIds);

        File.WriteAllText(Path.Combine(dir.TempPath, CorpusManifest.VocabularyFileName), vocab.ToTsv());
        File.WriteAllText(Path.Combine(dir.TempPath, CorpusManifest.MediansFileName), medians.ToTsv());
        var manifest = new CorpusManifest
        {
            TokenMode = o.TokenMode.Name(),
            MaxLength = tokenizer.MaxLength,
            VocabularySize = vocab.Count,
            VocabularySource = o.VocabularyPath is null ? "computed: genes with a non-zero median, sorted by id, after the special tokens" : Path.GetFullPath(o.VocabularyPath),
            MediansSource = o.MediansPath is null ? "computed over the training split" : Path.GetFullPath(o.MediansPath),
            MedianMethod = o.MediansPath is null ? o.MedianMethod.ToString().ToLowerInvariant() : "imported",
            GeneSymbolsSource = o.GeneSymbolsPath is null ? null : Path.GetFullPath(o.GeneSymbolsPath),
            MedianRelativeAccuracy = (accumulator as RelativeErrorMedianSketch)?.RelativeAccuracy,
            Filter = o.Filter.Name,
            Seed = o.Seed,
            Split = plan.Info,
            Inputs = scans.Select((s, i) => new InputFileInfo(s.Path, s.Sha256, s.Cells, s.Kept, emptyCells[i], s.NotApplied)).ToList(),
            Counts = CorpusManifest.SplitNames.Select((n, i) => (n, perDataset.Values.Sum(c => c[i]))).ToDictionary(x => x.n, x => x.Item2),
            Datasets = datasets.OrderBy(d => d.DatasetId, StringComparer.Ordinal).Select(d =>
            {
                var c = perDataset.GetValueOrDefault(d.DatasetId) ?? new long[3];
                return new DatasetCounts(d.DatasetId, c.Sum(), c[0], c[1], c[2], d.Assays.Order(StringComparer.Ordinal).ToList(), d.Tissues.Order(StringComparer.Ordinal).ToList());
            }).ToList(),
            Shards = shards,
        };
        File.WriteAllText(Path.Combine(dir.TempPath, CorpusManifest.FileName), manifest.ToJson());
        dir.Commit(replace: o.Overwrite);
        return manifest;
    }

    private ICellSource Open(string path)
    {
        try
        {
            return open(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: cannot be read: {e.Message}", e);
        }
    }

    private sealed record DatasetScan(long Cells, HashSet<string> Assays, HashSet<string> Tissues);

    /// <summary>
    /// Pass 1 over the files, several at a time (<c>--threads</c>): each file's checks, filters, checksum and
    /// per-dataset counts. The results are merged in input order, and the first bad file in input order is the one
    /// reported, so the outcome does not depend on the thread count.
    /// </summary>
    private (List<FileScan>, List<DatasetSummary>) Scan(IReadOnlyList<string> inputs, CorpusBuildOptions o)
    {
        var results = new (FileScan Scan, Dictionary<string, DatasetScan> Datasets)?[inputs.Count];
        var failures = new Exception?[inputs.Count];
        var progressGate = new Lock();
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, (f, loop) =>
        {
            try
            {
                results[f] = ScanFile(inputs[f], o);
                lock (progressGate) progress?.Invoke(new CorpusProgress("scan", f, inputs.Count, inputs[f], results[f]!.Value.Scan.Cells, results[f]!.Value.Scan.Cells));
            }
            catch (Exception e)
            {
                failures[f] = e;
                loop.Break(); // files after this one need not be scanned; those before it still are
            }
        });
        var scans = new List<FileScan>();
        var agg = new Dictionary<string, DatasetScan>(StringComparer.Ordinal);
        for (int f = 0; f < inputs.Count; f++)
        {
            if (failures[f] is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            var (scan, datasets) = results[f]!.Value;
            scans.Add(scan);
            foreach (var (id, d) in datasets)
            {
                if (!agg.TryGetValue(id, out var a)) agg[id] = a = new DatasetScan(0, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
                a.Assays.UnionWith(d.Assays);
                a.Tissues.UnionWith(d.Tissues);
                agg[id] = a with { Cells = a.Cells + d.Cells };
            }
        }
        if (agg.Count == 0) throw new InvalidDataException($"no cell passed the filters ({o.Filter.Name}) in {inputs.Count} input(s)");
        return (scans, agg.Select(kv => new DatasetSummary(kv.Key, kv.Value.Cells, kv.Value.Assays, kv.Value.Tissues)).ToList());
    }

    private (FileScan, Dictionary<string, DatasetScan>) ScanFile(string path, CorpusBuildOptions o)
    {
        using var source = Open(path);
        Validate(source);
        var filter = ObsFilter.Evaluate(source, o.Filter);
        var meta = SourceMetadata.Read(source);
        var datasets = new Dictionary<string, DatasetScan>(StringComparer.Ordinal);
        for (int i = 0; i < filter.Keep.Length; i++)
        {
            if (!filter.Keep[i]) continue;
            var id = meta.DatasetId(i);
            if (!datasets.TryGetValue(id, out var a)) datasets[id] = a = new DatasetScan(0, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
            a.Assays.Add(meta.Assay(i) ?? Unknown);
            a.Tissues.Add(meta.TissueGeneral(i) ?? Unknown);
            datasets[id] = a with { Cells = a.Cells + 1 };
        }
        return (new FileScan(path, CorpusInputs.Sha256(path), source.CellCount, filter.KeptCount, filter.NotApplied), datasets);
    }

    private static void Validate(ICellSource source)
    {
        var genes = source.GeneIds;
        if (genes.Count == 0) throw new InvalidDataException($"{source.Path}: no gene ids (var index / features column is missing or empty)");
        for (int g = 0; g < genes.Count; g++)
            if (string.IsNullOrEmpty(genes[g])) throw new InvalidDataException($"{source.Path}: gene id of column {g} (var index) is empty");
        if (source.CellIds.Count != source.CellCount) throw new InvalidDataException($"{source.Path}: {source.CellIds.Count} cell ids (obs index) for {source.CellCount} cells");
        var seen = new HashSet<string>(source.CellIds.Count, StringComparer.Ordinal);
        foreach (var id in source.CellIds)
            if (!seen.Add(id)) throw new InvalidDataException($"{source.Path}: cell id '{id}' (obs index) appears more than once");
    }

    /// <summary>The blocks of a file, checked; progress is reported after the caller is done with each block.</summary>
    private IEnumerable<CellBlock> Blocks(ICellSource source, CorpusBuildOptions o, string stage, int fileIndex, int fileCount)
    {
        long expected = 0;
        // Reading and decoding the next blocks overlaps with the medians or tokenizing of this one.
        foreach (var block in ReadAhead.Of(source.ReadBlocks(o.CellsPerBlock), depth: 2))
        {
            if (block.FirstCell != expected || block.IndPtr.Length < 1 || block.IndPtr[0] != 0 || block.IndPtr[^1] > block.GeneIndices.Length || block.GeneIndices.Length != block.Values.Length)
                throw new InvalidDataException($"{source.Path}: malformed block of cells at {block.FirstCell} (X indptr/indices/data disagree)");
            yield return block;
            expected += block.CellCount;
            progress?.Invoke(new CorpusProgress(stage, fileIndex, fileCount, source.Path, expected, source.CellCount));
        }
        if (expected != source.CellCount) throw new InvalidDataException($"{source.Path}: X has {expected} rows, obs {source.CellCount}");
    }

    private GeneMedians ComputeMedians(IReadOnlyList<string> inputs, CorpusBuildOptions o, SplitPlan plan, GeneVocabulary? vocab, out IMedianAccumulator accumulator)
    {
        var acc = MedianAccumulators.Create(o.MedianMethod);
        var adder = new ParallelMedianAdder(acc, TargetSum, o.Threads);
        var geneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var geneNames = new List<string>();
        foreach (var (f, source) in SourcesAhead.Open(inputs, Open))
        {
            var keep = ObsFilter.Evaluate(source, o.Filter).Keep;
            var meta = SourceMetadata.Read(source);
            // global gene number of each column (-1: outside the given vocabulary)
            var global = source.GeneIds.Select(g =>
            {
                if (vocab is not null && (!vocab.TryGetId(g, out var id) || vocab.IsSpecial(id))) return -1;
                if (!geneIndex.TryGetValue(g, out var k)) { geneIndex[g] = k = geneNames.Count; geneNames.Add(g); }
                return k;
            }).ToArray();
            var cellIds = source.CellIds;
            var totals = Array.Empty<double>();
            foreach (var block in Blocks(source, o, "medians", f, inputs.Count))
            {
                // Checks on one thread first, so the first bad cell in input order is the one reported.
                if (totals.Length < block.CellCount) totals = new double[block.CellCount];
                for (int c = 0; c < block.CellCount; c++)
                {
                    var row = checked((int)(block.FirstCell + c));
                    totals[c] = double.NaN;
                    if (!keep[row] || plan.Assign(meta.DatasetId(row), cellIds[row]) != SplitKind.Train) continue;
                    double total = 0;
                    for (int j = block.IndPtr[c]; j < block.IndPtr[c + 1]; j++)
                    {
                        var x = block.Values[j];
                        var col = block.GeneIndices[j];
                        if (!(x >= 0) || float.IsPositiveInfinity(x)) throw BadCount(source, cellIds[row], col, x);
                        if ((uint)col >= (uint)global.Length) throw new InvalidDataException($"{source.Path}: cell '{cellIds[row]}' has gene column {col}, beyond the {global.Length} genes (X indices)");
                        total += x;
                    }
                    totals[c] = total;
                }
                adder.Add(block, global, geneNames.Count, totals);
            }
        }
        accumulator = acc;
        var genes = geneIndex.Where(kv => acc.Count(kv.Value) > 0).Select(kv => kv.Key).Order(StringComparer.Ordinal);
        var result = new GeneMedians(genes.Select(g => new KeyValuePair<string, double>(g, acc.Median(geneIndex[g]))), "computed medians");
        if (result.Count == 0) throw new InvalidDataException("the training split has no non-zero counts: no medians can be computed");
        return result;
    }

    private static InvalidDataException BadCount(ICellSource source, string cellId, int column, float value) =>
        new($"{source.Path}: cell '{cellId}' has count {value} for gene column {column} (X): counts must be finite and non-negative");

    private (Dictionary<string, IReadOnlyList<ShardInfo>>, Dictionary<string, long[]>, long[]) Tokenize(
        IReadOnlyList<string> inputs, CorpusBuildOptions o, SplitPlan plan, Func<RankValueTokenizer> newTokenizer, string dir, IReadOnlyList<string> allDatasetIds)
    {
        var writers = CorpusManifest.SplitNames.Select(s => new SplitShardWriter(dir, s, allDatasetIds, o.RowsPerShard, o.BatchRows)).ToArray();
        try
        {
            var perDataset = new Dictionary<string, long[]>(StringComparer.Ordinal);
            var empty = new long[inputs.Count];
            int specials = o.TokenMode.SpecialTokenCount();
            var tokenizer = newTokenizer();
            var parallel = new ParallelBlockTokenizer(newTokenizer, o.Threads);
            foreach (var (f, source) in SourcesAhead.Open(inputs, Open))
            {
                var keep = ObsFilter.Evaluate(source, o.Filter).Keep;
                var meta = SourceMetadata.Read(source);
                var columns = tokenizer.MapColumns(source.GeneIds);
                if (columns.MatchedColumns == 0 && Array.IndexOf(keep, true) >= 0)
                    throw new InvalidDataException($"{source.Path}: none of its {source.GeneIds.Count:N0} gene ids (e.g. '{source.GeneIds.FirstOrDefault()}') is in the vocabulary with a median; " +
                        "the genes must be Ensembl ids (choose the var column with --gene-id-column, or map symbols with --gene-symbols)");
                var cellIds = source.CellIds;
                foreach (var block in Blocks(source, o, "tokenize", f, inputs.Count))
                {
                    int first = checked((int)block.FirstCell);
                    parallel.Tokenize(columns, block, block.CellCount, c => keep[first + c]);
                    for (int c = 0; c < block.CellCount; c++)
                    {
                        int row = first + c;
                        if (!keep[row]) continue;
                        if (parallel.Error(c) is { } error) throw new InvalidDataException($"{source.Path}: cell '{cellIds[row]}': {error}");
                        var tokens = parallel.Tokens(c);
                        if (tokens.Length == specials) { empty[f]++; continue; }
                        var m = meta.For(row);
                        var split = plan.Assign(m.DatasetId, m.CellId);
                        writers[(int)split].Append(tokens, m);
                        if (!perDataset.TryGetValue(m.DatasetId, out var counts)) perDataset[m.DatasetId] = counts = new long[3];
                        counts[(int)split]++;
                    }
                }
            }
            var shards = new Dictionary<string, IReadOnlyList<ShardInfo>>(StringComparer.Ordinal);
            for (int s = 0; s < writers.Length; s++) shards[CorpusManifest.SplitNames[s]] = writers[s].Complete();
            return (shards, perDataset, empty);
        }
        finally
        {
            foreach (var w in writers) w.Dispose();
        }
    }
}
