using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class BenchCommandTests
{
    private static List<JsonElement> JsonLines(ProcessResult r) =>
        r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Train_and_model_step_stages_print_one_json_object_per_figure()
    {
        var r = GeneformerProcess.Run("bench", "--only", "model-step", "train-step", "--model", "tiny", "--batch", "2", "--seq-len", "32", "--steps", "2", "--warmup", "1", "--threads", "1", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = JsonLines(r).ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        foreach (var name in new[] { "model-step.tokens_per_s", "model-step.tflops", "model-step.rss_growth_per_step", "train-step.tokens_per_s", "train-step.tflops", "train-step.outside_compute_fraction" })
            Assert.True(figures.ContainsKey(name), name);
        Assert.True(figures["train-step.tokens_per_s"].GetProperty("value").GetDouble() > 0);
        Assert.InRange(figures["train-step.outside_compute_fraction"].GetProperty("value").GetDouble(), 0, 1);
        Assert.Equal(32, figures["train-step.tokens_per_s"].GetProperty("seq_len").GetInt32());
    }

    [Fact]
    public void A_cpu_training_step_reuses_the_memory_it_freed_instead_of_faulting_in_fresh_pages()
    {
        (double MiB, string Allocator) FreshPages(Dictionary<string, string> env)
        {
            var r = GeneformerProcess.RunWith(env, "bench", "--only", "model-step", "--model", "tiny", "--batch", "8", "--seq-len", "256", "--steps", "16", "--warmup", "2", "--threads", "1", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            var figure = JsonLines(r).Single(f => f.GetProperty("name").GetString() == "model-step.fresh_pages_per_step");
            return (figure.GetProperty("value").GetDouble(), figure.GetProperty("host_allocator").GetString()!);
        }
        var kept = FreshPages(new());
        // A user's own malloc setting leaves glibc's defaults: a step's activations go back to the kernel each step.
        var givenBack = FreshPages(new() { ["MALLOC_ARENA_MAX"] = "8" });
        Assert.Equal("kept", kept.Allocator);
        Assert.Equal("left alone: MALLOC_ARENA_MAX is set", givenBack.Allocator);
        // glibc's defaults may settle too once its dynamic threshold has grown, so only the kept setting gets a bound:
        // well under the tens of MiB of activations a step of this size frees.
        Assert.True(kept.MiB < 16, $"{kept.MiB:0.00} MiB of fresh pages a step, {givenBack.MiB:0.00} with glibc's defaults");
    }

    [Fact]
    public void Adamw_stage_times_the_fused_kernel_against_torchsharps_loop_on_the_presets_parameters()
    {
        var r = GeneformerProcess.Run("bench", "--only", "adamw", "--model", "tiny", "--steps", "3", "--rounds", "1", "--threads", "1", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = JsonLines(r).ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        var fused = figures["adamw.fused_ms"].GetProperty("value").GetDouble();
        var loop = figures["adamw.torchsharp_ms"].GetProperty("value").GetDouble();
        Assert.True(fused > 0 && loop > 0, r.StdOut);
        Assert.Equal(loop / fused, figures["adamw.speedup"].GetProperty("value").GetDouble(), 6);
        Assert.Equal(1_757_013, figures["adamw.fused_ms"].GetProperty("parameters").GetDouble());
    }

    [Fact]
    public void Two_cpu_ranks_that_would_not_fit_in_memory_are_skipped_saying_why()
    {
        var step = new Geneformer.Bench.ModelStepBenchmark.Options("tiny", 2, 32, 2, 1, "cpu", 1.0);
        var available = Geneformer.Bench.ProcessMemory.AvailableBytes();
        Assert.NotNull(available);
        var figures = Geneformer.Bench.TrainStepBenchmark.RunTwoRanks(step, oneRankPeakBytes: available!.Value).ToList();
        var skipped = Assert.Single(figures);
        Assert.Equal("train-step-2-ranks.skipped", skipped.Name);
        Assert.Contains("two ranks need about twice", (string)skipped.Details["reason"]);
        Assert.True(skipped.Value >= 2.0 * available.Value / (1L << 30) * 0.99);
    }

    [Fact]
    public void Tokenize_stage_reports_cells_per_second_for_each_token_mode()
    {
        var r = GeneformerProcess.Run("bench", "--only", "tokenize", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var names = JsonLines(r).Select(f => f.GetProperty("name").GetString()).ToList();
        string[] expected = ["tokenize.v1.cells_per_s", "tokenize.bionemo.cells_per_s", "tokenize.v2.cells_per_s",
            .. Environment.ProcessorCount > 1 ? [$"tokenize.v1.{Environment.ProcessorCount}_threads.cells_per_s"] : Array.Empty<string>(), "tokenize.read_h5ad.cells_per_s"];
        Assert.Equal(expected, names);
        Assert.All(JsonLines(r), f => Assert.True(f.GetProperty("value").GetDouble() > 100));
        Assert.True(JsonLines(r)[^1].GetProperty("mb_per_s").GetDouble() > 0);
    }

    [Fact]
    public void Medians_stage_reports_cells_and_values_per_second_of_the_sketch()
    {
        var r = GeneformerProcess.Run("bench", "--only", "medians", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = JsonLines(r);
        string[] expected = ["medians.sketch.cells_per_s", .. Environment.ProcessorCount > 1 ? [$"medians.sketch.{Environment.ProcessorCount}_threads.cells_per_s"] : Array.Empty<string>()];
        Assert.Equal(expected, figures.Select(f => f.GetProperty("name").GetString()));
        foreach (var f in figures)
        {
            var cells = f.GetProperty("value").GetDouble();
            Assert.True(cells > 100, $"{cells} cells/s");
            // values per cell: the generated cells express 2,000 genes ±20%
            Assert.InRange(f.GetProperty("values_per_s").GetDouble() / cells, 1600, 2400);
        }
    }

    [Fact]
    public void Allreduce_stage_runs_two_mpi_ranks_and_reports_bucket_and_gradient_bandwidth()
    {
        var r = GeneformerProcess.Run("bench", "--only", "allreduce", "--model", "tiny", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = JsonLines(r).ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.Equal(2, figures["allreduce.bucket_25mib.gb_per_s"].GetProperty("ranks").GetDouble());
        Assert.True(figures["allreduce.gradients.gb_per_s"].GetProperty("value").GetDouble() > 0);
        Assert.Equal(4.0 * 1_757_013, figures["allreduce.gradients.gb_per_s"].GetProperty("bytes").GetDouble());
    }

    [Fact]
    public void Two_rank_train_step_reports_the_share_of_step_time_in_communication()
    {
        var r = GeneformerProcess.Run("bench", "--only", "train-step-2-ranks", "--model", "tiny", "--batch", "2", "--seq-len", "32", "--steps", "2", "--warmup", "1", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var figures = JsonLines(r).ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.InRange(figures["train-step.2-ranks.communication_fraction"].GetProperty("value").GetDouble(), 0, 1);
        Assert.Equal(2, figures["train-step.2-ranks.tokens_per_s"].GetProperty("ranks").GetDouble());
    }

    [Theory]
    [InlineData("--batch", "0", "--batch 0: expected 1 or more")]
    [InlineData("--global-batch", "-8", "--global-batch -8: expected 1 or more")]
    [InlineData("--memory-factor", "1", "--memory-factor 1: expected 2 or more")]
    public void A_count_out_of_range_is_refused_before_any_stage_runs(string option, string value, string message)
    {
        var r = GeneformerProcess.Run("bench", "--only", "padding", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("padding.", r.StdOut);
    }

    [Fact]
    public void An_unknown_stage_is_refused_with_the_list_of_stages()
    {
        var r = GeneformerProcess.Run("bench", "--only", "warp-drive");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("tokenize, medians, model-step, adamw, train-step, train-lengths, train-step-2-ranks, allreduce, embed", r.StdErr);
    }
}
