namespace Geneformer.Data.Synthetic;

/// <summary>Walker's alias method: O(1) draws from a fixed discrete distribution.</summary>
internal sealed class AliasTable
{
    private readonly double[] probability;
    private readonly int[] alias;

    public AliasTable(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        probability = new double[n];
        alias = new int[n];
        double sum = 0;
        foreach (var w in weights) sum += w;
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / sum;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        while (large.Count > 0) probability[large.Pop()] = 1;
        while (small.Count > 0) probability[small.Pop()] = 1;
    }

    public int Sample(ref SyntheticRandom rng)
    {
        int i = rng.Next(probability.Length);
        return rng.NextDouble() < probability[i] ? i : alias[i];
    }
}
