using Geneformer.Data.Loading;
using Geneformer.TestSupport;

namespace Geneformer.Training.Tests;

public class LoadingTests
{
    private static readonly MaskingVocabulary Vocab = new(100, 0, 1, [2]);

    [Fact]
    public void Masking_depends_only_on_seed_epoch_and_cell()
    {
        var m = new MlmMasking();
        int[] Run(ulong seed, long epoch, long cell)
        {
            var t = Enumerable.Range(3, 50).ToArray();
            m.Apply(t, seed, epoch, cell, Vocab, new int[50], new int[50]);
            return t;
        }
        Assert.Equal(Run(1, 0, 5), Run(1, 0, 5));
        Assert.NotEqual(Run(1, 0, 5), Run(1, 1, 5));
        Assert.NotEqual(Run(1, 0, 5), Run(1, 0, 6));
        Assert.NotEqual(Run(1, 0, 5), Run(2, 0, 5));
    }

    [Fact]
    public void Each_epoch_visits_every_cell_once_in_a_seeded_order()
    {
        var order = new GlobalSampleOrder(1000, 3);
        var epoch0 = Enumerable.Range(0, 1000).Select(i => order.At(i)).ToList();
        var epoch1 = Enumerable.Range(1000, 1000).Select(i => order.At(i)).ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), epoch0.Select(s => s.Cell).Order());
        Assert.All(epoch0, s => Assert.Equal(0, s.Epoch));
        Assert.All(epoch1, s => Assert.Equal(1, s.Epoch));
        Assert.NotEqual(epoch0.Select(s => s.Cell), epoch1.Select(s => s.Cell));
        Assert.Equal(epoch0, Enumerable.Range(0, 1000).Select(i => new GlobalSampleOrder(1000, 3).At(i)).ToList());
    }

    [Fact]
    public void Two_ranks_together_see_exactly_the_cells_one_process_sees_in_each_step()
    {
        var cells = new InMemoryCells(LearnableCells.Learnable(100, 40, seed: 1));
        var order = new GlobalSampleOrder(cells.Count, 11);
        var collator = new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 11, 64);
        var one = BatchGeometry.FromGlobal(16, 8, 1);
        var two = BatchGeometry.FromGlobal(16, 4, 2);
        for (long step = 0; step < 9; step++)
        {
            var whole = PrefetchingLoader.Build(order, collator, one, 0, step, new MicroBatching(LengthGrouped: false)).MicroBatches.SelectMany(m => m.Cells).Order();
            var split = Enumerable.Range(0, 2).SelectMany(r => PrefetchingLoader.Build(order, collator, two, r, step, new MicroBatching(LengthGrouped: false)).MicroBatches.SelectMany(m => m.Cells)).Order();
            Assert.Equal(whole, split);
        }
    }

    private static (MicroBatchCollator Collator, GlobalSampleOrder Order) Ramp(int cells)
    {
        // Cell i has i + 1 tokens, so a step that covers every cell holds every length once.
        var data = new InMemoryCells(Enumerable.Range(0, cells).Select(i => Enumerable.Range(2, i + 1).Select(t => 2 + t % 37).ToArray()).ToArray());
        return (new MicroBatchCollator(data, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 11, 2048), new GlobalSampleOrder(cells, 5));
    }

    private static List<MicroBatch> Step(MicroBatchCollator collator, GlobalSampleOrder order, BatchGeometry g, long step, bool grouped) =>
        Enumerable.Range(0, g.WorldSize).SelectMany(r => PrefetchingLoader.Build(order, collator, g, r, step, new MicroBatching(grouped)).MicroBatches).ToList();

    [Fact]
    public void Length_grouping_deals_each_step_the_same_cells_into_micro_batches_of_near_equal_length()
    {
        var cells = new InMemoryCells(LearnableCells.Learnable(256, 40, seed: 3, minLen: 2, maxLen: 30));
        var order = new GlobalSampleOrder(cells.Count, 11);
        var collator = new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 11, 2048);
        var g = BatchGeometry.FromGlobal(64, 4, 2);
        long streamComputed = 0, groupedComputed = 0;
        for (long step = 0; step < 6; step++) // 6 x 64 cells: steps 4 and 5 are in the second epoch
        {
            var stream = Step(collator, order, g, step, grouped: false);
            var grouped = Step(collator, order, g, step, grouped: true);
            Assert.Equal(stream.SelectMany(m => m.Cells).Order(), grouped.SelectMany(m => m.Cells).Order());
            Assert.Equal(stream.Sum(m => m.RealTokens), grouped.Sum(m => m.RealTokens));
            Assert.Equal(stream.Sum(m => m.Labels.Length), grouped.Sum(m => m.Labels.Length)); // masking follows the cell, not its batch
            // Sorted chunks: no cell of one micro batch is longer than the shortest of a micro batch dealt before it.
            var chunks = grouped.Select(m => m.Lengths).OrderByDescending(l => l.Max()).ThenByDescending(l => l.Min()).ToList();
            for (var c = 1; c < chunks.Count; c++) Assert.True(chunks[c].Max() <= chunks[c - 1].Min(), $"step {step}: micro batches overlap in length");
            streamComputed += stream.Sum(m => (long)m.Batch * m.SeqLen);
            groupedComputed += grouped.Sum(m => (long)m.Batch * m.SeqLen);
        }
        Assert.True(groupedComputed * 1.2 < streamComputed, $"length grouping computed {groupedComputed} tokens, stream order {streamComputed}");
    }

    [Fact]
    public void Length_grouped_micro_batches_are_the_same_for_any_world_size()
    {
        var (collator, order) = Ramp(96);
        string Batches(int world) => string.Join(" | ", Step(collator, order, BatchGeometry.FromGlobal(32, 4, world), 1, grouped: true)
            .Select(m => string.Join(",", m.Cells.Order())).Order());
        Assert.Equal(Batches(1), Batches(2));
        Assert.Equal(Batches(1), Batches(4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_chunk_of_a_step_holds_the_same_cells_at_any_world_size(bool grouped)
    {
        // Dropout is seeded by the chunk, so the chunk, not the rank, must say which cells a micro batch holds.
        var (collator, order) = Ramp(96);
        Dictionary<long, string> Chunks(int world)
        {
            var batches = Step(collator, order, BatchGeometry.FromGlobal(32, 4, world), 1, grouped);
            Assert.Equal(Enumerable.Range(0, 8).Select(c => (long)c), batches.Select(m => m.Chunk).Order());
            return batches.ToDictionary(m => m.Chunk, m => string.Join(",", m.Cells));
        }
        Assert.Equal(Chunks(1), Chunks(2));
        Assert.Equal(Chunks(1), Chunks(4));
    }

    [Fact]
    public void Length_grouping_deals_ranks_equal_tokens_when_lengths_fall_evenly()
    {
        // 16 cells of 1..16 tokens, one step of all of them, micro batch 2, 2 ranks, 4 rounds: dealt longest first in
        // rank order on even rounds and reversed on odd ones, each rank computes 68 tokens (in rank order it would be 76 and 60).
        var (collator, order) = Ramp(16);
        var g = BatchGeometry.FromGlobal(16, 2, 2);
        var perRank = Enumerable.Range(0, 2).Select(r => PrefetchingLoader.Build(order, collator, g, r, 0, new MicroBatching(LengthGrouped: true)).RealTokens).ToArray();
        Assert.Equal([68L, 68L], perRank);
    }

    [Fact]
    public void Batches_are_padded_only_to_their_longest_cell()
    {
        var cells = new InMemoryCells([[5, 6, 7], [8, 9, 10, 11, 12], [13]]);
        var collator = new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 1, 2048);
        var batch = collator.Collate([(0, 0), (2, 0)]);
        Assert.Equal(3, batch.SeqLen);
        Assert.Equal(4, batch.RealTokens);
        Assert.Equal([true, true, true, true, false, false], batch.AttentionMask);
        Assert.Equal(0, batch.InputIds[4]);
        Assert.True(batch.Padded);
    }

    [Fact]
    public void A_batch_whose_cells_all_reach_its_length_is_not_padded_so_attention_needs_no_mask()
    {
        var cells = new InMemoryCells([[5, 6, 7, 8, 9], [10, 11, 12], [13, 14, 15, 16]]);
        var collator = new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 1, maxLength: 3);
        var truncated = collator.Collate([(0, 0), (1, 0), (2, 0)]);
        Assert.Equal(3, truncated.SeqLen);
        Assert.False(truncated.Padded);
        Assert.True(collator.Collate([(0, 0), (1, 0)]) is { Padded: false });
        Assert.True(new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 1, 2048).Collate([(0, 0), (1, 0)]).Padded);
    }

    [Fact]
    public void A_global_batch_that_does_not_divide_into_micro_batches_and_ranks_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchGeometry.FromGlobal(100, 32, 2));
        Assert.Contains("64", e.Message);
    }
}
