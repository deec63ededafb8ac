namespace Geneformer.Distributed.Cluster;

/// <summary>The median of the last few values: a rank's step figures without the odd slow step (a validation, a collection).</summary>
internal sealed class RecentMedian(int window)
{
    private readonly Queue<double> values = new();

    public double Add(double value)
    {
        values.Enqueue(value);
        if (values.Count > window) values.Dequeue();
        return Median.Of(values);
    }
}
