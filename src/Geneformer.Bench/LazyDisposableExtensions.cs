namespace Geneformer.Bench;

public static class LazyDisposableExtensions
{
    public static LazyDisposable<T> AsDisposable<T>(this Lazy<T> lazy) where T : IDisposable => new(lazy);
}
