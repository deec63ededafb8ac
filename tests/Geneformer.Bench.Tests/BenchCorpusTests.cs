using Geneformer.TestSupport;

namespace Geneformer.Bench.Tests;

public class BenchCorpusTests
{
    [Fact]
    public void A_generated_corpus_is_prepared_in_a_temporary_folder_and_removed_afterwards()
    {
        string dir;
        using (var corpus = BenchCorpus.Open(null, cells: 64, genesPerCell: 200))
        {
            dir = corpus.Directory;
            Assert.True(File.Exists(Path.Combine(dir, "manifest.json")), $"{dir} holds no manifest.json");
            Assert.NotEmpty(Directory.GetFiles(dir, "*.arrow", SearchOption.AllDirectories));
            Assert.Equal("generated (64 cells, ~200 expressed genes)", corpus.Description);
        }
        Assert.False(Directory.Exists(Path.GetDirectoryName(dir)), "the generated corpus outlived the benchmark");
    }

    [Fact]
    public void A_corpus_the_user_names_is_used_as_it_is_and_never_removed()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["manifest.json"], "{}");
        using (var corpus = BenchCorpus.Open(tmp.Path, cells: 64, genesPerCell: 200))
            Assert.Equal(tmp.Path, corpus.Directory);
        Assert.Equal("{}", File.ReadAllText(tmp["manifest.json"]));
    }

    [Fact]
    public void A_lazy_resource_is_disposed_only_if_it_was_made()
    {
        var made = 0;
        var untouched = new LazyDisposable<TempDir>(new Lazy<TempDir>(() => { made++; return new TempDir(); }));
        untouched.Dispose();
        Assert.Equal(0, made);

        var used = new LazyDisposable<TempDir>(new Lazy<TempDir>(() => new TempDir()));
        var path = used.Value.Path;
        Assert.True(Directory.Exists(path));
        used.Dispose();
        Assert.False(Directory.Exists(path));
    }
}
