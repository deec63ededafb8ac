using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>The loader, padding and train-lengths stages, on a small corpus the bench generates and prepares itself (cells of 40-60 genes).</summary>
public class BenchDataStageTests
{
    private static List<System.Text.Json.JsonElement> Run(params string[] stages) =>
        BenchFigures.Parse(GeneformerProcess.Run(["bench", "--only", .. stages, "--corpus-cells", "80", "--genes-per-cell", "50", "--batch", "4", "--json"]));

    [Fact]
    public void Loader_reports_tokens_and_cells_per_second_that_agree_with_the_cells_read()
    {
        var figures = Run("loader");
        var tokens = figures.Single("loader.tokens_per_s");
        var cells = figures.Single("loader.cells_per_s");
        // tokens/s over cells/s is the mean real length of the cells read: 40-60 generated genes, far below the 2,048 maximum.
        Assert.InRange(tokens.Positive() / cells.Positive(), 40, 60);
        Assert.Equal(tokens.Number("mean_tokens_per_cell"), tokens.Value() / cells.Value(), 6);
        Assert.InRange(tokens.Number("masked_fraction"), 0.10, 0.20);
        Assert.Equal(2048, tokens.Number("max_length"));
        Assert.True(tokens.Number("global_batch") > 4, "the loader deals length-grouped steps larger than one micro batch");
    }

    [Fact]
    public void Padding_to_the_longest_of_a_micro_batch_wastes_far_less_than_padding_to_the_maximum_length()
    {
        var figures = Run("padding");
        var toMax = figures.Single("padding.max_length.fraction");
        var meanLength = toMax.Number("mean_length");
        Assert.Equal(1 - meanLength / 2048, toMax.Value(), 6);
        var inBatch = figures.Single("padding.longest_in_micro_batch.fraction").Value();
        Assert.InRange(inBatch, 0, 1 - 40.0 / 60); // lengths vary by ±20%: a batch pads at most to 1.5x its shortest cell
        Assert.InRange(figures.Single("padding.embed_length_sorted.fraction").Value(), 0, inBatch);
        var saving = figures.Single("padding.longest_in_micro_batch.saving").Positive();
        Assert.InRange(saving, 2048 / 60.0, 2048 / 40.0);
        // Length-grouped steps (the trainer's default) pad less than stream order, and no less than length-sorted windows can.
        var grouped = figures.Single("padding.length_grouped.fraction");
        Assert.InRange(grouped.Value(), 0, inBatch / 2);
        Assert.True(grouped.Number("global_batch") > 4, "the padding stage groups over a global batch larger than one micro batch");
        Assert.True(figures.Single("padding.length_grouped.saving").Positive() > saving);
    }

    [Fact]
    public void Packed_micro_batches_hold_a_steps_cells_in_as_few_budgets_as_they_fill()
    {
        // About 60 train cells of 40-60 tokens: the one step's cells fit one budget of 4 x 2,048 tokens, a third full.
        var fill = Run("padding").Single("padding.packed.fill");
        Assert.Equal(1, fill.Number("packed_micro_batches"));
        var cells = fill.Number("global_batch");
        Assert.InRange(fill.Value(), cells * 40 / 8192, cells * 60 / 8192);
        Assert.True(fill.Number("length_grouped_micro_batches") > 10);
    }

    [Fact]
    public void Train_lengths_runs_the_trainer_packed_and_padded_and_only_the_padded_one_computes_padding()
    {
        var figures = BenchFigures.Parse(GeneformerProcess.Run(["bench", "--only", "train-lengths", "--corpus-cells", "80", "--genes-per-cell", "50",
            "--model", "tiny", "--batch", "4", "--seq-len", "64", "--accumulation", "2", "--steps", "2", "--warmup", "1", "--rounds", "1", "--threads", "1", "--json"]));
        var padded = figures.Single("train-lengths.padded.tokens_per_s");
        var packed = figures.Single("train-lengths.packed.tokens_per_s");
        Assert.InRange(padded.Number("padding_fraction"), 0.01, 1 - 40.0 / 60); // cells of 40-60 tokens padded to the longest of 4
        Assert.Equal(0, packed.Number("padding_fraction"));
        Assert.Equal(8, packed.Number("cells_per_step"));
        Assert.Equal(packed.Value() / padded.Value(), figures.Single("train-lengths.packed.speedup").Positive(), 6);
    }
}
