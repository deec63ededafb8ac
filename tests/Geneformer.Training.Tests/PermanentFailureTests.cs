using Geneformer.Data.Corpus;

namespace Geneformer.Training.Tests;

/// <summary>Which errors end a job at once instead of restarting it: those a restart would meet again.</summary>
public class PermanentFailureTests
{
    /// <summary>A real ENOSPC from the kernel: /dev/full refuses every write with "No space left on device".</summary>
    private static IOException DiskFull()
    {
        try
        {
            using var f = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            f.Write(new byte[4096]);
            f.Flush();
        }
        catch (IOException e)
        {
            return e;
        }
        throw new InvalidOperationException("/dev/full accepted a write");
    }

    [Fact]
    public void A_full_disk_is_permanent_even_when_wrapped_by_a_background_checkpoint_write()
    {
        var full = DiskFull();
        Assert.True(PermanentFailure.Is(full), $"{full.GetType().Name} HResult {full.HResult}: {full.Message}");
        Assert.True(PermanentFailure.Is(new InvalidOperationException("checkpoint step 8 could not be written", new AggregateException(full))));
    }

    [Fact]
    public void A_damaged_shard_is_permanent()
    {
        Assert.True(PermanentFailure.Is(new CorruptShardException("/corpus/train/part-00000.arrow", "SHA-256 differs")));
    }

    [Fact]
    public void Other_failures_are_worth_a_restart()
    {
        Assert.False(PermanentFailure.Is(new IOException("Connection reset by peer")));
        Assert.False(PermanentFailure.Is(new InvalidOperationException("rank 1 aborted", new TimeoutException())));
        Assert.False(PermanentFailure.Is(new OutOfMemoryException()));
    }
}
