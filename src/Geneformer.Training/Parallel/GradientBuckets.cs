using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training.Parallel;

/// <summary>
/// Every parameter's gradient lives in a flat fp32 bucket of about <c>bucketBytes</c>: parameters are grouped in reverse
/// registration order (the order backward produces them) and each one's <c>grad</c> is a view of its slice of a bucket.
/// Backward accumulates into the buckets in place, so summing gradients over ranks is one all-reduce per bucket with no
/// copy in or out (PyTorch DDP's <c>gradient_as_bucket_view</c>), and zeroing them is one kernel per bucket.
/// </summary>
public sealed class GradientBuckets : IDisposable
{
    private readonly List<(Parameter[] Params, Tensor Flat)> buckets = [];
    private readonly List<Tensor> views = [];
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
        AttachViews();

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

    /// <summary>
    /// Zeroes every gradient, one kernel per bucket. Use it instead of the optimizer's <c>zero_grad</c>, which may set
    /// gradients to none and so detach them from the buckets (backward would then allocate new ones).
    /// </summary>
    public void Zero()
    {
        using var noGrad = no_grad();
        foreach (var (_, flat) in buckets) flat.zero_();
    }

    /// <summary>Sums every parameter's gradient over all ranks, in place in the buckets.</summary>
    public void AllReduce()
    {
        if (collectives.WorldSize == 1) return;
        foreach (var (_, flat) in buckets) collectives.AllReduceSum(flat);
    }

    private void AttachViews()
    {
        using var noGrad = no_grad();
        foreach (var (ps, flat) in buckets)
        {
            long offset = 0;
            foreach (var p in ps)
            {
                var n = p.numel();
                // The bucket keeps the storage; this list keeps each view's handle alive as long as the parameter uses it.
                var view = flat.narrow(0, offset, n).view(p.shape).DetachFromDisposeScope();
                p.grad = view;
                views.Add(view);
                offset += n;
            }
        }
    }

    public void Dispose()
    {
        foreach (var v in views) v.Dispose();
        foreach (var (_, flat) in buckets) flat.Dispose();
    }
}
