using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>
/// GENEFORMER_LIBTORCH: libtorch from another install, in the bundle without libtorch. The CPU libtorch of the NuGet
/// cache stands in for a cluster's PyTorch; Debian's python3-torch (1.13) is a real install too old for this build.
/// </summary>
public class ExternalLibTorchTests(DemoCorpusFixture corpus, BuildWithoutLibTorch bundle) : IClassFixture<DemoCorpusFixture>, IClassFixture<BuildWithoutLibTorch>
{
    private const string DebianTorchLib = "/usr/lib/python3/dist-packages/torch/lib";

    private static Dictionary<string, string> Using(string setting) => new() { ["GENEFORMER_LIBTORCH"] = setting };

    private static string NuGetLibTorch()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(folder, "libtorch_cpu.so")), $"the restored libtorch-cpu-linux-x64 package is expected at {folder}");
        return folder;
    }

    [Fact]
    public void The_bundle_without_libtorch_pretrains_on_libtorch_from_another_folder_and_doctor_shows_that_copy_in_use()
    {
        var folder = NuGetLibTorch();
        var ckpt = corpus.NewDir("ckpt");
        var r = bundle.Run(Using(folder), "pretrain", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", ckpt, "--threads", "1",
            "--max-steps", "2", "--checkpoint-every", "2", "--eval-every", "2", "--set", "deterministic=true");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"libtorch 2.10.0 from {folder}", r.StdErr);
        Assert.Contains("deterministic algorithms", r.StdOut);
        Assert.True(Directory.Exists(Path.Combine(ckpt, "step-000002")), r.ToString());

        var doctor = bundle.Run(Using(folder), "doctor", "--device", "cpu", "--json");
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        var facts = JsonDocument.Parse(doctor.StdOut).RootElement.GetProperty("facts");
        Assert.Equal($"2.10.0 at {folder} (GENEFORMER_LIBTORCH={folder})", facts.GetProperty("libtorch").GetString());
    }

    [Fact]
    public void Without_libtorch_or_the_variable_the_bundle_says_what_to_set_and_doctor_lists_it()
    {
        var r = bundle.Run(new Dictionary<string, string>(), "model", "info", "--model", "tiny");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("this build carries no libtorch", r.StdErr);
        Assert.Contains("GENEFORMER_LIBTORCH", r.StdErr);

        var doctor = bundle.Run(new Dictionary<string, string>(), "doctor");
        Assert.Equal(3, doctor.ExitCode);
        Assert.Contains("TorchSharp", doctor.StdOut);
        Assert.Contains("problem: this build carries no libtorch", doctor.StdErr);
    }

    [Fact]
    public void A_build_that_carries_its_own_libtorch_refuses_a_second_one()
    {
        var r = GeneformerProcess.RunWith(Using(NuGetLibTorch()), "model", "info", "--model", "tiny");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("this build carries its own libtorch", r.StdErr);
        Assert.Contains("--flavour external", r.StdErr);
    }

    [Fact]
    public void A_python_whose_torch_is_older_than_this_build_needs_is_refused_naming_both_versions()
    {
        var r = bundle.Run(Using("python:" + ProcessRunner.DebianPython), "model", "info", "--model", "tiny");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"libtorch 1.13.0a0 at {DebianTorchLib} cannot run this build's TorchSharp 0.107.0, built for libtorch 2.10.0", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);

        var byFolder = bundle.Run(Using(DebianTorchLib), "model", "info", "--model", "tiny");
        Assert.Equal(3, byFolder.ExitCode);
        Assert.Contains("libtorch 1.13.0a0", byFolder.StdErr);
    }

    [Fact]
    public void A_folder_without_libtorch_or_an_interpreter_that_cannot_run_is_a_clear_error()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["empty"]);
        var empty = bundle.Run(Using(tmp["empty"]), "model", "info", "--model", "tiny");
        Assert.Equal(3, empty.ExitCode);
        Assert.Contains($"{tmp["empty"]} has no libc10.so, libtorch_cpu.so, libtorch.so", empty.StdErr);

        var missing = bundle.Run(Using("/nonexistent/torch/lib"), "model", "info", "--model", "tiny");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("folder /nonexistent/torch/lib does not exist", missing.StdErr);

        var noPython = bundle.Run(Using("python:/nonexistent/python3"), "model", "info", "--model", "tiny");
        Assert.Equal(3, noPython.ExitCode);
        Assert.Contains("cannot run /nonexistent/python3", noPython.StdErr);
    }
}
