using System.Text.Json;
using Geneformer.Common.Logging;

namespace Geneformer.Common.Tests;

public class JsonLogWriterTests
{
    [Fact]
    public void Every_line_becomes_one_object_with_its_level_rank_node_and_generation()
    {
        var inner = new StringWriter();
        var writer = new JsonLogWriter(inner, "info");
        (LogContext.Rank, LogContext.Node, LogContext.Generation) = (3, "gpu-node-7", 2);
        try
        {
            writer.Write("step=10 loss=");
            writer.Write("7.25\n");
            writer.WriteLine("error: the corpus \"c\" is missing");
            writer.WriteLine("warn: slow rank");
            writer.WriteLine("");
            writer.Write("a line\r\nwithout a newline at the end");
            writer.Flush();
        }
        finally
        {
            (LogContext.Rank, LogContext.Node, LogContext.Generation) = (null, null!, null);
        }
        var objects = inner.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["step=10 loss=7.25", "error: the corpus \"c\" is missing", "warn: slow rank", "a line"], objects.Select(o => o.GetProperty("message").GetString()));
        Assert.Equal(["info", "error", "warning", "info"], objects.Select(o => o.GetProperty("level").GetString()));
        Assert.All(objects, o =>
        {
            Assert.Equal(3, o.GetProperty("rank").GetInt32());
            Assert.Equal("gpu-node-7", o.GetProperty("node").GetString());
            Assert.Equal(2, o.GetProperty("generation").GetInt32());
            Assert.InRange(DateTime.Parse(o.GetProperty("time").GetString()!).ToUniversalTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        });
    }

    [Fact]
    public void Without_a_rank_the_fields_are_left_out_and_the_writers_level_applies()
    {
        var inner = new StringWriter();
        new JsonLogWriter(inner, "error").WriteLine("something went wrong");
        var o = JsonDocument.Parse(inner.ToString()).RootElement;
        Assert.Equal("error", o.GetProperty("level").GetString());
        Assert.False(o.TryGetProperty("rank", out _));
        Assert.False(o.TryGetProperty("generation", out _));
        Assert.Equal(Environment.MachineName, o.GetProperty("node").GetString());
    }
}
