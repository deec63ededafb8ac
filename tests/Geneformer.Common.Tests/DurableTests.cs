using Geneformer.Common.IO;
using Geneformer.TestSupport;

namespace Geneformer.Common.Tests;

public class DurableTests
{
    [Fact]
    public void A_write_that_fails_leaves_the_previous_file_whole_and_no_temporary_file()
    {
        using var tmp = new TempDir();
        var path = tmp["state.json"];
        Durable.WriteAllText(path, "first");
        Assert.Throws<IOException>(() => Durable.WriteVia(path, t =>
        {
            File.WriteAllText(t, "half of the sec");
            throw new IOException("disk full");
        }));
        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void A_write_replaces_the_file_whole_and_leaves_only_it()
    {
        using var tmp = new TempDir();
        var path = tmp["state.json"];
        Durable.WriteAllText(path, "first, longer than the second");
        Durable.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Durable.WriteVia(path, t => File.WriteAllText(t, "third"));
        Assert.Equal("third", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Temporary_names_are_hidden_siblings_that_differ_per_call()
    {
        var a = Durable.TempSibling("/data/run/metrics.jsonl");
        var b = Durable.TempSibling("/data/run/metrics.jsonl");
        Assert.NotEqual(a, b);
        Assert.Equal("/data/run", Path.GetDirectoryName(a));
        Assert.StartsWith($".metrics.jsonl.tmp-{Environment.ProcessId}-", Path.GetFileName(a));
    }
}
