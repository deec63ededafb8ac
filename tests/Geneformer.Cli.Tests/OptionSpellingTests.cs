using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// One name per kind of preset across commands (--training, --model, --cluster). The spellings options had before are
/// refused with an error naming the new one, rather than read as something else; they do not appear in help.
/// </summary>
public class OptionSpellingTests
{
    public static TheoryData<string[], string, string> Renamed => new()
    {
        { ["pretrain", "--config", "tiny", "--corpus", "c", "--checkpoints", "k"], "--config", "--training" },
        { ["worker", "--config", "tiny", "--corpus", "c", "--checkpoints", "k", "--coordinator", "127.0.0.1:1"], "--config", "--training" },
        { ["submit", "--config", "tiny", "--corpus", "c", "--checkpoints", "k", "--dry-run"], "--config", "--training" },
        { ["pretrain", "--training", "tiny", "--cluster-config", "test", "--corpus", "c", "--checkpoints", "k"], "--cluster-config", "--cluster" },
        { ["model", "info", "--config", "tiny"], "--config", "--model" },
        { ["coordinator", "--config", "test", "--world-size", "1", "--checkpoints", "k", "--corpus", "c"], "--config", "--cluster" },
        { ["bench", "--config", "tiny", "--only", "adamw"], "--config", "--model" },
        { ["bench", "--checkpoint-config", "tiny", "--only", "checkpoint"], "--checkpoint-config", "--checkpoint-model" },
        { ["submit", "--training", "tiny", "--corpus", "c", "--checkpoints", "k", "--resume", "old", "--dry-run"], "--resume", "--resume-from" },
    };

    [Theory]
    [MemberData(nameof(Renamed))]
    public void An_old_spelling_is_refused_with_an_error_naming_the_new_one(string[] args, string old, string current)
    {
        var r = GeneformerProcess.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"error: {old} was renamed: use {current}", r.StdErr);
        Assert.Equal("", r.StdOut);
        var help = GeneformerProcess.Run([.. args.TakeWhile(a => a.StartsWith('-') is false), "--help"]);
        Assert.DoesNotMatch($@"(?m)^\s+{old}(?![\w-])", help.StdOut);
    }

    [Fact]
    public void The_new_spellings_are_read()
    {
        var model = GeneformerProcess.Run("model", "info", "--model", "tiny", "--json");
        Assert.True(model.ExitCode == 0, model.ToString());
        Assert.Contains("\"parameters\"", model.StdOut);

        using var dir = new TempDir();
        var pretrain = GeneformerProcess.Run("pretrain", "--training", "tiny", "--cluster", "test", "--corpus", dir["none"], "--checkpoints", dir["ck"]);
        Assert.Equal(2, pretrain.ExitCode);
        Assert.DoesNotContain("renamed", pretrain.StdErr);
        Assert.Contains(dir["none"], pretrain.StdErr);
    }
}
