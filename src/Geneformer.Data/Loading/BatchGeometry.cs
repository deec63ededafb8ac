namespace Geneformer.Data.Loading;

/// <summary>Batch geometry: global batch = micro batch x accumulation steps x world size.</summary>
public sealed record BatchGeometry(int MicroBatch, int Accumulation, int WorldSize)
{
    public long GlobalBatch => (long)MicroBatch * Accumulation * WorldSize;

    public static BatchGeometry FromGlobal(long globalBatch, int microBatch, int worldSize)
    {
        if (microBatch <= 0) throw new ArgumentException($"micro batch {microBatch} must be positive");
        var perStep = (long)microBatch * worldSize;
        if (globalBatch <= 0 || globalBatch % perStep != 0)
            throw new ArgumentException($"global batch {globalBatch} must be a positive multiple of micro batch x world size = {microBatch} x {worldSize} = {perStep}");
        return new BatchGeometry(microBatch, checked((int)(globalBatch / perStep)), worldSize);
    }
}
