namespace Geneformer.Bench;

/// <summary>A <see cref="Lazy{T}"/> that disposes its value if, and only if, it was created.</summary>
public sealed class LazyDisposable<T>(Lazy<T> lazy) : IDisposable where T : IDisposable
{
    public T Value => lazy.Value;

    public void Dispose()
    {
        if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}
