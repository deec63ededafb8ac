using Geneformer.Data.Pipeline;

namespace Geneformer.Data.Synthetic;

/// <summary>A small seeded generator (SplitMix64 stream) with the distributions the count model needs.</summary>
internal struct SyntheticRandom(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64() => StableHash.SplitMix64(state += 0x9E3779B97F4A7C15UL);

    public double NextDouble() => StableHash.Unit(NextUInt64());

    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (shape &lt; 1 by the boost u^(1/shape)).</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1) return NextGamma(shape + 1) * Math.Pow(NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextNormal(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Poisson(lambda): multiplication method for small lambda, rounded normal above 30.</summary>
    public int NextPoisson(double lambda)
    {
        if (lambda > 30) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * NextNormal()));
        double limit = Math.Exp(-lambda), p = 1;
        int k = 0;
        while ((p *= NextDouble()) > limit) k++;
        return k;
    }

    /// <summary>Negative binomial with the given mean and dispersion r (a Gamma-Poisson mixture, as scRNA-seq counts are modelled).</summary>
    public int NextNegativeBinomial(double mean, double r) => NextPoisson(NextGamma(r) * mean / r);
}
