using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training.Parallel;

/// <summary>
/// Sums gradients over ranks bucket by bucket: parameters are grouped (in reverse registration order, the
/// order backward produces them) into flat fp32 buffers of about <c>bucketBytes</c>, each all-reduced in one
/// call and copied back, so a 100M-parameter model needs a handful of large messages instead of hundreds of small ones.
/// </summary>
public sealed class GradientBuckets : IDisposable
{
    private readonly List<(Parameter[] Params, Tensor Flat)> buckets = [];
    private readonly ICollectives collectives;

    public GradientBuckets(IEnumerable<Parameter> parameters, ICollectives collectives, long bucketBytes = 25L << 20)
    {
        this.collectives = collectives;
        var current = new List<Parameter>();
        long bytes = 0;
        foreach (var p in parameters.Reverse())
        {
            current.Add(p);
            bytes += p.numel() * 4;
            if (bytes >= bucketBytes) Flush();
        }
        Flush();

        void Flush()
        {
            if (current.Count == 0) return;
            var total = current.Sum(p => p.numel());
            buckets.Add((current.ToArray(), zeros(total, dtype: ScalarType.Float32, device: current[0].device)));
            current.Clear();
            bytes = 0;
        }
    }

    public int Count => buckets.Count;
    public long Bytes => buckets.Sum(b => b.Flat.numel() * 4);

    /// <summary>Sums every parameter's gradient over all ranks (missing gradients count as zero).</summary>
    public void AllReduce()
    {
        if (collectives.WorldSize == 1) return;
        using var noGrad = no_grad();
        // Every temporary (gradient handles, slices, views) belongs to the scope and stays referenced until it ends. Left
        // to the GC, a handle could be finalized while native code still uses it (a rank crashed in copy_ that way).
        using var scope = NewDisposeScope();
        foreach (var (ps, flat) in buckets)
        {
            long offset = 0;
            foreach (var p in ps)
            {
                var n = p.numel();
                var slice = flat.narrow(0, offset, n);
                if (p.grad is { } g) slice.copy_(g.reshape(-1));
                else slice.zero_();
                offset += n;
            }
            collectives.AllReduceSum(flat);
            offset = 0;
            foreach (var p in ps)
            {
                var n = p.numel();
                var slice = flat.narrow(0, offset, n).view(p.shape);
                if (p.grad is { } g) g.copy_(slice);
                else p.grad = slice.clone(); // the gradient keeps its own reference
                offset += n;
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, flat) in buckets) flat.Dispose();
    }
}
