using System.Text.Json;
using System.Text.Json.Nodes;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// TensorBoard events of a run, read back by an independent reader (tools/tensorboard/read_events.py: the TFRecord
/// framing with its CRC-32C checksums, the protobuf records, TensorBoard's purge rule) and checked against metrics.jsonl.
/// </summary>
public class TensorBoardTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private static string Reader => Path.Combine(RepoPaths.Root, "tools", "tensorboard", "read_events.py");

    private string[] Pretrain(string checkpoints, int steps, params string[] extra) =>
        ["pretrain", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--threads", "1", "--max-steps", steps.ToString(),
         "--checkpoint-every", "5", "--eval-every", "5", "--set", "log_every=1", .. extra];

    private static JsonElement Read(string dir)
    {
        var r = ProcessRunner.Python(Reader, dir);
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [Fact]
    public void Every_metric_is_a_tensorboard_scalar_and_a_resume_continues_the_curves_without_repeating_steps()
    {
        var ckpt = corpus.NewDir("ckpt");
        var first = GeneformerProcess.Run(Pretrain(ckpt, 12));
        Assert.True(first.ExitCode == 0, first.ToString());
        // Steps 6-12 are logged, then their checkpoints are lost: the next run resumes at step 5 and trains them again.
        Directory.Delete(Path.Combine(ckpt, "step-000010"), recursive: true);
        Directory.Delete(Path.Combine(ckpt, "step-000012"), recursive: true);
        var resumed = GeneformerProcess.Run(Pretrain(ckpt, 14, "--lr", "2e-3"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("at step 5", resumed.StdOut);

        // What metrics.jsonl says once a resumed run's records replace those its predecessor wrote past the resumed step.
        // The resumed run's start record repeats numbers TensorBoard already holds.
        var expected = new Dictionary<(string Tag, long Step), double>();
        foreach (var row in File.ReadLines(Path.Combine(ckpt, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()))
        {
            var step = (long)row["step"]!;
            if (step > 0 && row.ContainsKey("reference_cells"))
            {
                foreach (var superseded in expected.Keys.Where(k => k.Step > step).ToList()) expected.Remove(superseded);
                continue;
            }
            foreach (var (key, value) in row)
                if (key != "step" && value is JsonValue v && v.TryGetValue<double>(out var number)) expected[(key, step)] = number;
        }

        var events = Read(Path.Combine(ckpt, "tensorboard"));
        Assert.Equal(2, events.GetProperty("files").GetInt32());
        var actual = new Dictionary<(string Tag, long Step), double>();
        foreach (var tag in events.GetProperty("scalars").EnumerateObject())
        {
            var steps = tag.Value.EnumerateArray().Select(p => p[0].GetInt64()).ToList();
            Assert.True(steps.SequenceEqual(steps.Order().Distinct()), $"{tag.Name}: steps {string.Join(",", steps)} repeat or go back");
            foreach (var p in tag.Value.EnumerateArray()) actual[(tag.Name, p[0].GetInt64())] = p[1].GetDouble();
        }
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
            Assert.True(Math.Abs(actual[key] - value) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"{key}: TensorBoard {actual[key]}, metrics.jsonl {value}");
        Assert.Contains(("validation_loss", 5L), actual.Keys);
        Assert.Contains(("mfu", 14L), actual.Keys);
        // The resumed run's peak rate (2e-3) replaced the first run's for steps 6-12.
        Assert.Equal(expected[("lr", 10)], actual[("lr", 10)], 1e-9);
        Assert.NotEqual(JsonNode.Parse(File.ReadLines(Path.Combine(ckpt, "metrics.jsonl")).First(l => l.Contains("\"step\":10,") && l.Contains("\"lr\"")))!["lr"]!.GetValue<double>(), actual[("lr", 10)], 1e-9);

        var config = events.GetProperty("texts").GetProperty("config/training").EnumerateArray().ToList();
        Assert.Equal([0L, 5L], config.Select(p => p[0].GetInt64()));
        Assert.Contains("\"lr\": 0.002", config[1][1].GetString());
        Assert.Contains("\"num_hidden_layers\"", events.GetProperty("texts").GetProperty("config/model")[0][1].GetString());
    }

    [Fact]
    public void The_tensorboard_folder_can_move_or_be_turned_off()
    {
        var (ckpt, elsewhere) = (corpus.NewDir("ckpt"), corpus.NewDir("board"));
        var moved = GeneformerProcess.Run(Pretrain(ckpt, 2, "--set", $"tensorboard_dir={elsewhere}"));
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.False(Directory.Exists(Path.Combine(ckpt, "tensorboard")));
        Assert.Equal([1L, 2L], Read(elsewhere).GetProperty("scalars").GetProperty("loss").EnumerateArray().Select(p => p[0].GetInt64()));

        var off = corpus.NewDir("ckpt");
        var r = GeneformerProcess.Run(Pretrain(off, 2, "--set", "tensorboard=false"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.False(Directory.Exists(Path.Combine(off, "tensorboard")));
    }
}
