using System.Threading.Channels;

namespace Geneformer.Data.IO;

/// <summary>
/// Enumerates a sequence on a background thread, up to <c>depth</c> items ahead of the consumer, so reading (file I/O
/// and decoding) overlaps with whatever the consumer does with each item. Items arrive in order; an exception thrown
/// by the source reaches the consumer after the items before it, as it would without read-ahead. Disposing the
/// enumerator (for instance when the consumer fails) stops the source and waits for it, so the caller may then
/// close whatever the source reads from.
/// </summary>
public static class ReadAhead
{
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var item in source)
                    await channel.Writer.WriteAsync(item, stop.Token);
                channel.Writer.TryComplete();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        });
        try
        {
            while (true)
            {
                T item;
                try
                {
                    if (!channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                    if (!channel.Reader.TryRead(out item!)) continue;
                }
                catch (ChannelClosedException e) when (e.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                    throw;
                }
                yield return item;
            }
        }
        finally
        {
            stop.Cancel();
            producer.GetAwaiter().GetResult();
        }
    }
}
