using Geneformer.Evaluation.Inference;

namespace Geneformer.Evaluation.Tests;

public class EmbeddingSlicesTests
{
    [Theory]
    [InlineData(500, 64, 2)]
    [InlineData(500, 64, 3)]
    [InlineData(500, 4096, 2)]
    [InlineData(1, 16, 4)]
    [InlineData(0, 16, 3)]
    [InlineData(10_000_003, 4096, 64)]
    [InlineData(8192, 4096, 2)]
    public void The_ranks_slices_cover_every_cell_once_in_order(long cells, int window, int ranks)
    {
        var slices = Enumerable.Range(0, ranks).Select(r => EmbeddingSlices.ForRank(cells, window, r, ranks)).ToList();
        Assert.Equal(0, slices[0].First);
        for (var r = 1; r < ranks; r++) Assert.Equal(slices[r - 1].End, slices[r].First);
        Assert.Equal(cells, slices[^1].End);
        Assert.True(slices.Max(s => s.Count) - slices.Min(s => s.Count) <= (EmbeddingSlices.WindowAligned(cells, window, ranks) ? window : 1));
    }

    [Fact]
    public void With_enough_windows_every_slice_starts_on_a_window_boundary()
    {
        // 500 cells in windows of 64: 8 windows; 3 ranks take 2, 3 and 3 of them (the last one short).
        var slices = Enumerable.Range(0, 3).Select(r => EmbeddingSlices.ForRank(500, 64, r, 3)).ToList();
        Assert.True(EmbeddingSlices.WindowAligned(500, 64, 3));
        Assert.Equal([(0L, 128L), (128L, 192L), (320L, 180L)], slices.Select(s => (s.First, s.Count)));
    }

    [Fact]
    public void With_fewer_windows_than_ranks_cells_are_shared_evenly()
    {
        Assert.False(EmbeddingSlices.WindowAligned(500, 4096, 2));
        Assert.Equal((0L, 250L), (EmbeddingSlices.ForRank(500, 4096, 0, 2).First, EmbeddingSlices.ForRank(500, 4096, 0, 2).Count));
        Assert.Equal((250L, 250L), (EmbeddingSlices.ForRank(500, 4096, 1, 2).First, EmbeddingSlices.ForRank(500, 4096, 1, 2).Count));
    }

    [Fact]
    public void A_rank_outside_the_world_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingSlices.ForRank(10, 4, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingSlices.ForRank(10, 0, 0, 2));
    }
}
