using Geneformer.Common.IO;
using Geneformer.TestSupport;

namespace Geneformer.Common.Tests;

public class AtomicDirectoryTests
{
    [Fact]
    public void Directory_appears_only_on_commit_and_a_failed_write_leaves_nothing()
    {
        using var tmp = new TempDir();
        var target = tmp["out"];
        using (var a = new AtomicDirectory(target))
        {
            File.WriteAllText(Path.Combine(a.TempPath, "x.txt"), "hello");
            Assert.False(Directory.Exists(target));
            a.Commit();
        }
        Assert.Equal("hello", File.ReadAllText(Path.Combine(target, "x.txt")));

        var other = tmp["failed"];
        using (var b = new AtomicDirectory(other))
            File.WriteAllText(Path.Combine(b.TempPath, "y.txt"), "half");
        Assert.False(Directory.Exists(other));
        Assert.Single(Directory.EnumerateFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Commit_refuses_to_overwrite_an_existing_directory_unless_asked()
    {
        using var tmp = new TempDir();
        var target = tmp["out"];
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "user data");
        using (var a = new AtomicDirectory(target))
            Assert.Throws<IOException>(() => a.Commit());
        Assert.Equal("user data", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }
}
