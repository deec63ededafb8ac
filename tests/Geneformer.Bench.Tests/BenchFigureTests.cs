using System.Text.Json;

namespace Geneformer.Bench.Tests;

public class BenchFigureTests
{
    [Fact]
    public void A_figure_is_one_json_object_that_reads_back_with_its_conditions()
    {
        var figure = new BenchFigure("pytorch-train-step.speedup", 1.25, "x", new Dictionary<string, object>
        {
            ["config"] = "geneformer-10m", ["batch"] = 8, ["threads"] = 2.0, ["blas"] = "openblas",
        });
        var json = figure.ToJson();
        Assert.DoesNotContain('\n', json);
        var o = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["name", "value", "unit", "config", "batch", "threads", "blas"], o.EnumerateObject().Select(p => p.Name));
        var back = BenchFigure.FromJson(json);
        Assert.Equal((figure.Name, figure.Value, figure.Unit), (back.Name, back.Value, back.Unit));
        Assert.Equal(8.0, back.Details["batch"]);
        Assert.Equal("geneformer-10m", back.Details["config"]);
    }

    [Fact]
    public void The_text_line_shows_the_value_with_its_unit_and_every_condition()
    {
        var text = new BenchFigure("loader.tokens_per_s", 123456.789, "tokens/s", new Dictionary<string, object> { ["cells"] = 512, ["share"] = 0.123456 }).ToText();
        Assert.Matches(@"^loader\.tokens_per_s +123,457 tokens/s +cells=512  share=0\.1235$", text);
        Assert.Contains(" 0.25 ", new BenchFigure("x", 0.25, "s", new Dictionary<string, object>()).ToText());
    }
}
