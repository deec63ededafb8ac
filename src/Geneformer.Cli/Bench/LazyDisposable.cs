namespace Geneformer.Cli.Bench;

/// <summary>A <see cref="Lazy{T}"/> that disposes its value if, and only if, it was created.</summary>
public sealed class LazyDisposable<T>(Lazy<T> lazy) : IDisposable where T : IDisposable
{
    public T Value => lazy.Value;

    public void Dispose()
    {
        if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}

public static class LazyDisposableExtensions
{
    public static LazyDisposable<T> AsDisposable<T>(this Lazy<T> lazy) where T : IDisposable => new(lazy);
}
