using System.Diagnostics;
using Geneformer.Collectives;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Parallel;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// Gradient all-reduce over MPI between 2 ranks on this machine: one ~25 MB bucket, and a preset's whole gradient
/// through the trainer's bucketing. Started outside a launcher, it re-runs itself under <c>mpiexec.mpich -n 2</c>.
/// Algorithm bandwidth = bytes / time; bus bandwidth = algorithm bandwidth x 2(n-1)/n (the ring's traffic per rank).
/// </summary>
public static class AllReduceBenchmark
{
    public static IEnumerable<BenchFigure> Run(string config, int iterations)
    {
        if (!LaunchEnvironment.UnderMpiLauncher())
        {
            foreach (var f in TwoRankRun.Relay(["--only", "allreduce", "--model", config, "--steps", iterations.ToString()])) yield return f;
            yield break;
        }
        using var mpi = new MpiCollectives(LaunchEnvironment.WorldSize());
        var figures = new List<BenchFigure>();
        using (var bucket = zeros(25L << 18, dtype: ScalarType.Float32)) // 25 MiB
            figures.Add(Figure("allreduce.bucket_25mib", mpi, bucket.numel() * 4, () => mpi.AllReduceSum(bucket), iterations, config));
        using (var model = new BertForMaskedLM(ModelConfigs.Resolve(config)))
        using (var buckets = new GradientBuckets(model.parameters(), mpi))
        {
            foreach (var p in model.parameters()) p.grad!.fill_(1); // the gradients are views of the buckets
            figures.Add(Figure($"allreduce.gradients", mpi, buckets.Bytes, buckets.AllReduce, iterations, config, buckets.Count));
        }
        if (mpi.Rank == 0) foreach (var f in figures) yield return f;
    }

    private static BenchFigure Figure(string name, MpiCollectives mpi, long bytes, Action reduce, int iterations, string config, int? bucketCount = null)
    {
        reduce();
        mpi.Barrier();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) reduce();
        mpi.Barrier();
        var seconds = clock.Elapsed.TotalSeconds / iterations;
        var algGbs = bytes / seconds / 1e9;
        var details = new Dictionary<string, object>
        {
            ["ranks"] = mpi.WorldSize, ["backend"] = "mpi", ["bytes"] = bytes, ["ms"] = seconds * 1e3,
            ["bus_gb_per_s"] = algGbs * 2 * (mpi.WorldSize - 1) / mpi.WorldSize, ["config"] = config,
        };
        if (bucketCount is { } c) details["buckets"] = c;
        return new BenchFigure(name + ".gb_per_s", algGbs, "GB/s", details);
    }
}
