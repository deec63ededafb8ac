using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

[Collection(TrainedModelCollection.Name)]
public class EvalTrainingCommandTests(TrainedModelFixture model)
{
    private static double Number(string text, string pattern)
    {
        var m = Regex.Match(text, pattern, RegexOptions.Multiline);
        Assert.True(m.Success, $"/{pattern}/ not in:\n{text}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Every_checkpoint_of_a_run_is_scored_as_eval_celltype_and_eval_mlm_score_it()
    {
        var output = model.NewDir("training");
        var r = GeneformerProcess.Run("eval", "training", "--checkpoints", model.TrainedRun, "--corpus", model.Corpus.Corpus, "--mlm-cells", "64",
            "--input", model.Cells, "--label-column", "cell_type", "--classifier", "logreg", "--folds", "3", "--threads", "1", "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());

        // The same protocol as the single-checkpoint commands: the same folds, classifier and masking give the same numbers.
        var celltype = GeneformerProcess.Run("eval", "celltype", "--input", model.Cells, "--label-column", "cell_type", "--output", model.NewDir("ct"),
            "--checkpoint", model.Trained, "--classifier", "logreg", "--folds", "3", "--threads", "1");
        Assert.True(celltype.ExitCode == 0, celltype.ToString());
        foreach (var (mine, theirs) in new[] { (@"^step 40\s+logreg\s+accuracy (\d\.\d+)", @"^step-000040\s+logreg\s+accuracy (\d\.\d+)"),
                                               (@"^random weights\s+logreg\s+accuracy (\d\.\d+)", @"^random-init\s+logreg\s+accuracy (\d\.\d+)"),
                                               (@"^PCA baseline\s+logreg\s+accuracy (\d\.\d+)", @"^pca\s+logreg\s+accuracy (\d\.\d+)") })
            Assert.Equal(Number(celltype.StdOut, theirs), Number(r.StdOut, mine));
        var mlm = GeneformerProcess.Run("eval", "mlm", "--checkpoint", model.Trained, "--corpus", model.Corpus.Corpus, "--max-cells", "64", "--threads", "1", "--json");
        Assert.True(mlm.ExitCode == 0, mlm.ToString());
        Assert.Equal(JsonDocument.Parse(mlm.StdOut).RootElement.GetProperty("loss").GetDouble(), Number(r.StdOut, @"^step 40\s.*MLM (\d+\.\d+)"), 4);
        Assert.Matches(@"(?m)^step 20\s+logreg\s+accuracy \d\.\d+ ± \d\.\d+  macro F1 \d\.\d+ ± \d\.\d+  MLM \d+\.\d+$", r.StdOut);

        // The frequency-only predictors' losses on the held-out split, the flat lines of the MLM chart.
        Assert.InRange(Number(r.StdOut, @"frequency alone (\d+\.\d+)"), 1, Math.Log(25_429));
        Assert.InRange(Number(r.StdOut, @"rank band (\d+\.\d+)"), 1, Math.Log(25_429));

        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| PCA baseline |", report);
        Assert.Contains("| random weights |", report);
        Assert.Matches(@"\| 20 \| \d+\.\d{4} \| \d\.\d{3} ± \d\.\d{3} \| \d\.\d{3} ± \d\.\d{3} \|", report);
        Assert.Matches(@"\| 40 \| \d+\.\d{4} \|", report);
        var csv = File.ReadAllLines(Path.Combine(output, "scores.csv"));
        Assert.Equal("step,model,classifier,accuracy_mean,accuracy_std,macro_f1_mean,macro_f1_std,mlm_loss", csv[0]);
        Assert.Equal(5, csv.Length); // PCA, random weights, steps 20 and 40
        Assert.StartsWith("40,step-000040,logreg,", csv[^1]);
        foreach (var png in new[] { "accuracy.png", "macro-f1.png", "mlm-loss.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, png));
            Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', png);
        }

        // The same scores beside the training curves: TensorBoard's "eval" run in the run's tensorboard folder, read back independently.
        var events = Path.Combine(model.TrainedRun, "tensorboard", "eval");
        Assert.Contains($"TensorBoard: {events}", r.StdOut);
        var read = ProcessRunner.Python(Path.Combine(RepoPaths.Root, "tools", "tensorboard", "read_events.py"), events);
        Assert.True(read.ExitCode == 0, read.ToString());
        var scalars = JsonDocument.Parse(read.StdOut).RootElement.GetProperty("scalars");
        foreach (var row in csv.Skip(1).Select(l => l.Split(',')).Where(f => f[1].StartsWith("step-", StringComparison.Ordinal)))
        {
            var step = long.Parse(row[0], CultureInfo.InvariantCulture);
            foreach (var (tag, column) in new[] { ("celltype/logreg/accuracy", 3), ("celltype/logreg/macro_f1", 5), ("mlm_loss", 7) })
            {
                var point = scalars.GetProperty(tag).EnumerateArray().Single(p => p[0].GetInt64() == step);
                Assert.Equal(double.Parse(row[column], CultureInfo.InvariantCulture), point[1].GetDouble(), 3);
            }
        }
        Assert.Equal(2, scalars.GetProperty("celltype/logreg/pca/accuracy").GetArrayLength());
    }

    [Fact]
    public void The_mlm_loss_alone_needs_no_labelled_cells()
    {
        var output = model.NewDir("mlm-only");
        var r = GeneformerProcess.Run("eval", "training", "--checkpoints", model.TrainedRun, "--corpus", model.Corpus.Corpus, "--mlm-cells", "32", "--threads", "1", "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^step 20\s+MLM \d+\.\d+$", r.StdOut);
        Assert.True(File.Exists(Path.Combine(output, "mlm-loss.png")));
        Assert.False(File.Exists(Path.Combine(output, "accuracy.png")));
    }

    [Fact]
    public void A_single_checkpoint_or_nothing_to_score_is_refused_with_what_to_do()
    {
        var one = GeneformerProcess.Run("eval", "training", "--checkpoints", model.Trained, "--corpus", model.Corpus.Corpus, "--output", model.NewDir("x"));
        Assert.Equal(2, one.ExitCode);
        Assert.Contains("is one checkpoint", one.StdErr);
        var nothing = GeneformerProcess.Run("eval", "training", "--checkpoints", model.TrainedRun, "--output", model.NewDir("y"));
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("nothing to score", nothing.StdErr);
        var noLabels = GeneformerProcess.Run("eval", "training", "--checkpoints", model.TrainedRun, "--input", model.Cells, "--output", model.NewDir("z"));
        Assert.Equal(2, noLabels.ExitCode);
        Assert.Contains("--label-column", noLabels.StdErr);
    }
}
