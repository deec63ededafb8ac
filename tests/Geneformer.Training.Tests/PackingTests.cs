using Geneformer.Data.Loading;
using Geneformer.TestSupport;

namespace Geneformer.Training.Tests;

public class PackingTests
{
    private static (MicroBatchCollator Collator, GlobalSampleOrder Order) Cells(int count, int seed = 3)
    {
        var cells = new InMemoryCells(LearnableCells.Learnable(count, 40, seed: seed, minLen: 2, maxLen: 30));
        return (new MicroBatchCollator(cells, new MlmMasking(), new MaskingVocabulary(40, 0, 1, []), 11, 2048), new GlobalSampleOrder(cells.Count, 11));
    }

    private static List<MicroBatch> Step(MicroBatchCollator collator, GlobalSampleOrder order, BatchGeometry g, long step, MicroBatching batching) =>
        Enumerable.Range(0, g.WorldSize).SelectMany(r => PrefetchingLoader.Build(order, collator, g, r, step, batching).MicroBatches).ToList();

    [Fact]
    public void Packed_micro_batches_hold_each_step_the_same_cells_within_the_token_budget_and_without_padding()
    {
        var (collator, order) = Cells(256);
        var g = BatchGeometry.FromGlobal(64, 4, 2);
        var packed = new MicroBatching(LengthGrouped: true, PackedTokens: 100);
        for (long step = 0; step < 6; step++) // steps 4 and 5 are in the second epoch
        {
            var padded = Step(collator, order, g, step, new MicroBatching(LengthGrouped: false));
            var batches = Step(collator, order, g, step, packed);
            Assert.Equal(padded.SelectMany(m => m.Cells).Order(), batches.SelectMany(m => m.Cells).Order());
            Assert.Equal(padded.Sum(m => m.Labels.Length), batches.Sum(m => m.Labels.Length)); // masking follows the cell
            Assert.All(batches, m =>
            {
                Assert.True(m.Packed);
                Assert.False(m.Padded);
                Assert.InRange(m.RealTokens, 1, 100);
                Assert.Equal(m.RealTokens, m.InputIds.Length);
                Assert.Equal(m.Lengths.Sum(), m.InputIds.Length);
                Assert.Empty(m.AttentionMask);
            });
            // First-fit decreasing fills all but the last chunks: no two chunks together fit one budget.
            var sizes = batches.Select(m => m.RealTokens).Order().ToArray();
            Assert.True(sizes.Length < 2 || sizes[0] + sizes[1] > 100, $"step {step}: chunks of {sizes[0]} and {sizes[1]} tokens could have been one");
        }
    }

    [Fact]
    public void A_packed_batch_holds_the_tokens_and_masked_positions_of_the_padded_one()
    {
        var (collator, order) = Cells(40);
        var samples = Enumerable.Range(0, 6).Select(i => order.At(i)).ToArray();
        var padded = collator.Collate(samples);
        var packed = collator.Collate(samples, packed: true);
        var real = Enumerable.Range(0, padded.Batch).SelectMany(b => Enumerable.Range(0, padded.Lengths[b]).Select(i => padded.InputIds[b * padded.SeqLen + i]));
        Assert.Equal(real, packed.InputIds);
        Assert.Equal(padded.Labels, packed.Labels);
        var starts = padded.Lengths.Select((_, b) => padded.Lengths.Take(b).Sum()).ToArray();
        var mapped = padded.MaskedPositions.Select(p => starts[p / padded.SeqLen] + p % padded.SeqLen);
        Assert.Equal(mapped, packed.MaskedPositions);
        Assert.Equal(padded.SeqLen, packed.SeqLen);
    }

    [Fact]
    public void Each_packed_chunk_holds_the_same_cells_at_any_world_size()
    {
        // Dropout is seeded by the chunk, so the chunk, not the rank, must say which cells a micro batch holds.
        var (collator, order) = Cells(96);
        var packed = new MicroBatching(LengthGrouped: true, PackedTokens: 120);
        Dictionary<long, string> Chunks(int world) =>
            Step(collator, order, BatchGeometry.FromGlobal(32, 4, world), 1, packed).ToDictionary(m => m.Chunk, m => string.Join(",", m.Cells));
        Assert.Equal(Chunks(1), Chunks(2));
        Assert.Equal(Chunks(1), Chunks(4));
        Assert.Equal(Enumerable.Range(0, Chunks(1).Count).Select(c => (long)c), Chunks(4).Keys.Order());
    }

    [Fact]
    public void Chunks_go_to_ranks_longest_first_onto_the_least_loaded()
    {
        long[] tokens = [90, 100, 40, 60, 70, 100];
        // 1 (100) -> rank 0; 5 (100) -> 1; 0 (90) -> 0 (tie, lowest rank); 4 (70) -> 1; 3 (60) -> 1; 2 (40) -> 0: 230 tokens each
        Assert.Equal([0, 1, 2], PackedStepSamples.ChunksOf(tokens, 2, 0));
        Assert.Equal([3, 4, 5], PackedStepSamples.ChunksOf(tokens, 2, 1));
        Assert.Equal([0, 1, 2, 3, 4, 5], PackedStepSamples.ChunksOf(tokens, 1, 0));
        Assert.Empty(PackedStepSamples.ChunksOf([50], 2, 1)); // more ranks than chunks: a rank may compute nothing
    }

    [Fact]
    public void A_cell_longer_than_the_budget_is_refused_with_both_sizes()
    {
        var (collator, order) = Cells(40);
        var e = Assert.Throws<ArgumentException>(() => PackedStepSamples.Chunks(order, collator.TokensOf, 16, 0, budget: 5));
        Assert.Contains("does not fit a packed micro batch of 5 tokens", e.Message);
    }

    [Fact]
    public void The_token_budget_defaults_to_a_full_padded_micro_batch_and_must_hold_the_longest_cell()
    {
        var config = new TrainingConfig { MicroBatch = 8 };
        Assert.Equal(new MicroBatching(true, 8 * 256), config.Batching(256));
        Assert.Equal(new MicroBatching(true, 1000), (config with { MicroBatchTokens = 1000 }).Batching(256));
        Assert.False((config with { Packing = false }).Batching(256).Packed);
        var e = Assert.Throws<InvalidDataException>(() => (config with { MicroBatchTokens = 100 }).Batching(256));
        Assert.Contains("micro_batch_tokens 100 is below max_length 256", e.Message);
    }
}
