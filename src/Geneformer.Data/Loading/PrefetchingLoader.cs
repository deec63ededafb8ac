namespace Geneformer.Data.Loading;

/// <summary>
/// Produces the batches of successive steps for one rank, in a background task a few steps ahead so the
/// training loop never waits on reading and masking.
/// </summary>
public sealed class PrefetchingLoader : IDisposable
{
    private readonly GlobalSampleOrder order;
    private readonly MicroBatchCollator collator;
    private readonly BatchGeometry geometry;
    private readonly int rank;
    private readonly MicroBatching batching;
    private readonly System.Threading.Channels.Channel<StepBatches> channel;
    private readonly CancellationTokenSource cancel = new();
    private readonly Task producer;

    /// <param name="batching">how each step's cells are dealt into micro batches</param>
    public PrefetchingLoader(GlobalSampleOrder order, MicroBatchCollator collator, BatchGeometry geometry, int rank, long firstStep, MicroBatching batching, int prefetchSteps = 2)
    {
        this.order = order;
        this.collator = collator;
        this.geometry = geometry;
        this.rank = rank;
        this.batching = batching;
        channel = System.Threading.Channels.Channel.CreateBounded<StepBatches>(new System.Threading.Channels.BoundedChannelOptions(Math.Max(1, prefetchSteps)) { SingleReader = true, SingleWriter = true });
        producer = Task.Run(() => Produce(firstStep, cancel.Token));
    }

    /// <summary>The batches of step <paramref name="step"/> for this rank, computed directly (no prefetch).</summary>
    public static StepBatches Build(GlobalSampleOrder order, MicroBatchCollator collator, BatchGeometry g, int rank, long step, MicroBatching batching)
    {
        if (batching.Packed)
        {
            var chunks = PackedStepSamples.Chunks(order, collator.TokensOf, g.GlobalBatch, step, batching.PackedTokens);
            var tokens = chunks.Select(c => c.Sum(s => (long)collator.TokensOf(s.Cell))).ToArray();
            return new StepBatches(step, PackedStepSamples.ChunksOf(tokens, g.WorldSize, rank).Select(c => collator.Collate(chunks[c], packed: true) with { Chunk = c }).ToList());
        }
        var samples = StepSamples.Of(order, collator.TokensOf, g, rank, step, batching.LengthGrouped);
        return new StepBatches(step, samples.Select((cells, a) => collator.Collate(cells) with { Chunk = StepSamples.ChunkOf(g, rank, a, batching.LengthGrouped) }).ToList());
    }

    private async Task Produce(long step, CancellationToken token)
    {
        try
        {
            for (; !token.IsCancellationRequested; step++)
                await channel.Writer.WriteAsync(Build(order, collator, geometry, rank, step, batching), token);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            channel.Writer.TryComplete(e);
            return;
        }
        channel.Writer.TryComplete();
    }

    /// <summary>The next step's batches; waits only if the producer has fallen behind. Rethrows any reading error.</summary>
    public StepBatches Next()
    {
        try
        {
            return channel.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (System.Threading.Channels.ChannelClosedException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    public void Dispose()
    {
        cancel.Cancel();
        try { producer.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        cancel.Dispose();
    }
}
