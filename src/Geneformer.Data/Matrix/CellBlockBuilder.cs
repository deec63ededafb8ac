namespace Geneformer.Data.Matrix;

/// <summary>
/// Assembles one <see cref="CellBlock"/> cell by cell: drops stored zeros (so CSR, CSC and dense files give the same
/// blocks) and rejects NaN, infinity, negative values (unless allowed) and gene indices outside the matrix.
/// </summary>
internal sealed class CellBlockBuilder
{
    private readonly MatrixContext context;
    private readonly List<int> indPtr = [0];
    private int[] genes;
    private float[] values;
    private int count;
    private long firstCell;

    public CellBlockBuilder(MatrixContext context, int expectedEntries = 1024)
    {
        this.context = context;
        genes = new int[Math.Max(16, expectedEntries)];
        values = new float[genes.Length];
    }

    public int CellCount => indPtr.Count - 1;

    /// <summary>Starts a new block whose first cell has global index <paramref name="first"/>.</summary>
    public void Reset(long first)
    {
        firstCell = first;
        indPtr.Clear();
        indPtr.Add(0);
        count = 0;
    }

    public void Add(int gene, float value)
    {
        if (value == 0f)
        {
            if ((uint)gene >= (uint)context.GeneCount) throw context.BadGene(firstCell + CellCount, gene);
            return;
        }
        if (!float.IsFinite(value) || (value < 0f && !context.AllowNegativeValues) || (uint)gene >= (uint)context.GeneCount)
            throw context.BadValue(firstCell + CellCount, gene, value);
        if (count == genes.Length)
        {
            Array.Resize(ref genes, genes.Length * 2);
            Array.Resize(ref values, genes.Length);
        }
        genes[count] = gene;
        values[count] = value;
        count++;
    }

    public void EndCell() => indPtr.Add(count);

    public CellBlock Build() => new(firstCell, indPtr.ToArray(), genes.AsSpan(0, count).ToArray(), values.AsSpan(0, count).ToArray());
}
