using Geneformer.Data.Loading;

namespace Geneformer.Training.Tests;

public class LoadingTests
{
    private static readonly MaskingVocabulary Vocab = new(100, 0, 1, [2]);

    [Fact]
    public void Masking_selects_about_15_percent_never_special_tokens_and_splits_80_10_10()
    {
        var masking = new MlmMasking();
        long selected = 0, total = 0, masked = 0, unchanged = 0;
        var positions = new int[200];
        var labels = new int[200];
        for (var cell = 0; cell < 2000; cell++)
        {
            var tokens = Enumerable.Range(0, 200).Select(i => i == 0 ? 2 : 3 + i % 97).ToArray();
            var original = (int[])tokens.Clone();
            var n = masking.Apply(tokens, 9, 0, cell, Vocab, positions, labels);
            for (var k = 0; k < n; k++)
            {
                Assert.NotEqual(0, positions[k]); // the special token at 0 is never selected
                Assert.Equal(original[positions[k]], labels[k]);
                if (tokens[positions[k]] == 1) masked++;
                else if (tokens[positions[k]] == original[positions[k]]) unchanged++;
            }
            selected += n;
            total += 199;
        }
        Assert.InRange(selected / (double)total, 0.145, 0.155);
        Assert.InRange(masked / (double)selected, 0.78, 0.82);
        Assert.InRange(unchanged / (double)selected, 0.09, 0.115); // 10% kept + random draws that hit the same gene
    }

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
            var whole = PrefetchingLoader.Build(order, collator, one, 0, step).MicroBatches.SelectMany(m => m.Cells).Order();
            var split = Enumerable.Range(0, 2).SelectMany(r => PrefetchingLoader.Build(order, collator, two, r, step).MicroBatches.SelectMany(m => m.Cells)).Order();
            Assert.Equal(whole, split);
        }
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
    }

    [Fact]
    public void A_global_batch_that_does_not_divide_into_micro_batches_and_ranks_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchGeometry.FromGlobal(100, 32, 2));
        Assert.Contains("64", e.Message);
    }
}
