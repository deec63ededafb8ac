using Geneformer.Data.IO;

namespace Geneformer.Data.Tests;

public class ReadAheadTests
{
    [Fact]
    public void Items_arrive_in_order_and_a_source_error_after_the_items_before_it()
    {
        static IEnumerable<int> Source()
        {
            for (int i = 0; i < 5; i++) yield return i;
            throw new InvalidDataException("block 5 is broken");
        }
        var seen = new List<int>();
        var e = Assert.Throws<InvalidDataException>(() => { foreach (var i in ReadAhead.Of(Source(), depth: 2)) seen.Add(i); });
        Assert.Equal("block 5 is broken", e.Message);
        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.Equal(Enumerable.Range(0, 100), ReadAhead.Of(Enumerable.Range(0, 100), depth: 3));
    }

    [Fact]
    public void A_consumer_that_stops_early_stops_the_source_before_going_on()
    {
        var produced = 0;
        var sourceDone = false;
        IEnumerable<int> Source()
        {
            try
            {
                for (int i = 0; i < 1000; i++) { produced++; yield return i; }
            }
            finally { sourceDone = true; }
        }
        foreach (var i in ReadAhead.Of(Source(), depth: 2)) if (i == 3) break;
        Assert.True(sourceDone, "the source was still being read after the consumer left");
        Assert.InRange(produced, 4, 4 + 3); // at most depth + 1 items beyond what was consumed
    }
}
