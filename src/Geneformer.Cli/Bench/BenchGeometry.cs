using Geneformer.Data.Loading;

namespace Geneformer.Cli.Bench;

public static class BenchGeometry
{
    /// <summary>One rank's batch geometry for <paramref name="globalBatch"/>, cut to the whole micro batches the train split holds.</summary>
    public static BatchGeometry ForTrainCells(int microBatch, long globalBatch, long trainCells)
    {
        var global = Math.Max(microBatch, Math.Min(globalBatch, trainCells) / microBatch * microBatch);
        return BatchGeometry.FromGlobal(global, microBatch, worldSize: 1);
    }
}
