using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class CorpusCommandTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private string CopyOfCorpus()
    {
        var copy = corpus.NewDir("corpus");
        foreach (var file in Directory.EnumerateFiles(corpus.Corpus, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(corpus.Corpus, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    [Fact]
    public void Verify_passes_an_intact_corpus_and_names_each_damaged_shard_with_exit_1()
    {
        var ok = GeneformerProcess.Run("corpus", "verify", corpus.Corpus);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Matches(@"(\d+) of \1 shards intact", ok.StdErr);

        var damaged = CopyOfCorpus();
        var shard = Directory.GetFiles(Path.Combine(damaged, "train"), "*.arrow").Order().Last();
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(shard, bytes);

        var bad = GeneformerProcess.Run("corpus", "verify", damaged);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"DAMAGED {shard}: SHA-256", bad.StdOut);
        var json = GeneformerProcess.Run("corpus", "verify", "--json", damaged);
        Assert.Equal(1, json.ExitCode);
        var report = JsonDocument.Parse(json.StdOut).RootElement;
        Assert.Equal(shard, Assert.Single(report.GetProperty("damaged").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public void Verify_of_a_folder_that_is_not_a_corpus_is_a_clear_error()
    {
        var empty = corpus.NewDir("empty");
        Directory.CreateDirectory(empty);
        var r = GeneformerProcess.Run("corpus", "verify", empty);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("manifest.json not found: not a prepared corpus directory", r.StdErr);
    }
}
