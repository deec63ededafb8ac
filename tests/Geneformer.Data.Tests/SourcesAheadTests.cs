using Geneformer.Data.Matrix;
using Geneformer.Data.Pipeline;
using Geneformer.Data.Synthetic;

namespace Geneformer.Data.Tests;

public class SourcesAheadTests
{
    /// <summary>A one-cell source that records its disposal.</summary>
    private sealed class Tracked(string path, List<string> disposed) : ICellSource
    {
        private readonly InMemoryCellSource inner = new(path, ["ENSG1"], ["c1"], new Dictionary<string, string?[]>(), [0, 1], [0], [1f]);
        public string Path => inner.Path;
        public long CellCount => inner.CellCount;
        public IReadOnlyList<string> GeneIds => inner.GeneIds;
        public IReadOnlyList<string> CellIds => inner.CellIds;
        public IReadOnlyList<string> ObsColumns => inner.ObsColumns;
        public IReadOnlyList<string?> ReadObsColumn(string name) => inner.ReadObsColumn(name);
        public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024) => inner.ReadBlocks(cellsPerBlock);
        public void Dispose() { lock (disposed) disposed.Add(path); }
    }

    [Fact]
    public void Files_come_in_order_each_disposed_when_done_and_an_open_error_arrives_at_its_file()
    {
        var disposed = new List<string>();
        ICellSource Open(string path) => path == "c" ? throw new InvalidDataException("c: cannot be read") : new Tracked(path, disposed);
        var seen = new List<string>();
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var (i, source) in SourcesAhead.Open(["a", "b", "c", "d"], Open))
            {
                Assert.Equal(seen.Count, i);
                seen.Add(source.Path);
            }
        });
        Assert.Equal("c: cannot be read", e.Message);
        Assert.Equal(["a", "b"], seen);
        Assert.Equal(["a", "b"], disposed);
    }

    [Fact]
    public void A_caller_that_stops_early_leaves_no_file_open()
    {
        var disposed = new List<string>();
        foreach (var (i, _) in SourcesAhead.Open(["a", "b", "c"], p => new Tracked(p, disposed)))
            if (i == 0) break;
        Assert.Equal(["a", "b"], disposed.Order()); // a after use, b opened ahead and never used
    }
}
