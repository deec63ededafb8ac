using Geneformer.Data.Matrix;

namespace Geneformer.Data.Synthetic;

/// <summary>An <see cref="ICellSource"/> over CSR arrays and obs columns held in memory (tests, benchmarks, generated data).</summary>
public sealed class InMemoryCellSource : ICellSource
{
    private readonly long[] indPtr;
    private readonly int[] indices;
    private readonly float[] values;
    private readonly IReadOnlyDictionary<string, string?[]> obs;

    public string Path { get; }
    public long CellCount => CellIds.Count;
    public IReadOnlyList<string> GeneIds { get; }
    public IReadOnlyList<string> CellIds { get; }
    public IReadOnlyList<string> ObsColumns { get; }

    public InMemoryCellSource(string path, IReadOnlyList<string> geneIds, IReadOnlyList<string> cellIds,
        IReadOnlyDictionary<string, string?[]> obs, long[] indPtr, int[] indices, float[] values)
    {
        if (indPtr.Length != cellIds.Count + 1) throw new ArgumentException($"{path}: indptr has {indPtr.Length} entries for {cellIds.Count} cells");
        foreach (var (name, column) in obs)
            if (column.Length != cellIds.Count) throw new ArgumentException($"{path}: obs column '{name}' has {column.Length} values for {cellIds.Count} cells");
        Path = path;
        GeneIds = geneIds;
        CellIds = cellIds;
        this.obs = obs;
        ObsColumns = obs.Keys.ToList();
        this.indPtr = indPtr;
        this.indices = indices;
        this.values = values;
    }

    public IReadOnlyList<string?> ReadObsColumn(string name) =>
        obs.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"{Path}: no obs column '{name}'");

    public IEnumerable<CellBlock> ReadBlocks(int cellsPerBlock = 1024)
    {
        for (long first = 0; first < CellCount; first += cellsPerBlock)
        {
            var n = (int)Math.Min(cellsPerBlock, CellCount - first);
            long from = indPtr[first], to = indPtr[first + n];
            var ptr = new int[n + 1];
            for (int i = 0; i <= n; i++) ptr[i] = checked((int)(indPtr[first + i] - from));
            yield return new CellBlock(first, ptr, indices[(int)from..(int)to], values[(int)from..(int)to]);
        }
    }

    public void Dispose() { }
}
