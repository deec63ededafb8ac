using Geneformer.Model.Native;
using Geneformer.TestSupport;

namespace Geneformer.Model.Tests;

public class LibTorchLocationTests
{
    [Fact]
    public void The_version_comes_from_pytorchs_version_py_a_libtorch_archive_or_a_nuget_package_folder()
    {
        using var tmp = new TempDir();
        var pip = Directory.CreateDirectory(tmp["site-packages/torch/lib"]).FullName;
        File.WriteAllText(tmp["site-packages/torch/version.py"], "from typing import Optional\n__version__ = '2.11.0+cu130'\ncuda: Optional[str] = '13.0'\n");
        Assert.Equal("2.11.0+cu130", LibTorchLocation.VersionOf(pip));

        var archive = Directory.CreateDirectory(tmp["libtorch/lib"]).FullName;
        File.WriteAllText(tmp["libtorch/build-version"], "2.10.0+cpu\n");
        Assert.Equal("2.10.0+cpu", LibTorchLocation.VersionOf(archive));

        Assert.Equal("2.10.0", LibTorchLocation.VersionOf("/root/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native"));
        Assert.Null(LibTorchLocation.VersionOf(Directory.CreateDirectory(tmp["bare/lib"]).FullName));
    }

    [Theory]
    [InlineData("2.10.0", true)]
    [InlineData("2.11.0+cu130", true)]
    [InlineData("2.9.1", false)]
    [InlineData("1.13.0a0", false)]
    [InlineData("3.0.0", false)]
    [InlineData(null, true)]
    public void A_libtorch_older_than_this_build_or_of_another_major_version_is_refused(string? version, bool accepted)
    {
        var location = new LibTorchLocation("/opt/torch/lib", version, "/opt/torch/lib");
        if (accepted)
        {
            LibTorchLoader.CheckVersion(location);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchLoader.CheckVersion(location));
        Assert.Contains($"libtorch {version} at /opt/torch/lib", e.Message);
        Assert.Contains($"built for libtorch {LibTorchLoader.BuiltFor}", e.Message);
    }

    [Fact]
    public void This_build_knows_the_libtorch_its_torchsharp_was_built_for()
    {
        Assert.Equal("2.10.0", LibTorchLoader.BuiltFor);
        Assert.Equal("0.107.0", LibTorchLoader.TorchSharpVersion);
    }
}
