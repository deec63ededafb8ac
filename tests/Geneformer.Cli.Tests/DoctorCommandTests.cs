using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class DoctorCommandTests
{
    [Fact]
    public void Names_the_build_libtorch_and_libraries_and_passes_for_the_cpu()
    {
        var r = GeneformerProcess.Run("doctor", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("TorchSharp", r.StdOut);
        Assert.Contains("0.107.0 (cpu build), built for libtorch 2.10.0", r.StdOut);
        Assert.Contains("(this build's own)", r.StdOut);
        Assert.Contains("no NVIDIA driver: libcuda.so.1", r.StdOut);
        Assert.Contains("MPICH at ", r.StdOut);
        Assert.Contains("server, 1 heap (collections run on their own threads", r.StdOut);
        Assert.Matches(@"(?m)^rank +0 of 1, local rank 0$", r.StdOut);
        Assert.Contains("none (one process) under the coordinator: would start", r.StdOut);
        Assert.EndsWith("ok", r.StdOut.TrimEnd());
    }

    [Fact]
    public void Cuda_where_there_is_none_fails_with_exit_3_saying_why_and_what_to_do()
    {
        var r = GeneformerProcess.Run("doctor", "--device", "cuda", "--json");
        Assert.Equal(3, r.ExitCode);
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        var problem = json.GetProperty("problems")[0].GetString()!;
        Assert.Contains("device 'cuda' was asked for, but CUDA is not available", problem);
        Assert.Contains("GENEFORMER_LIBTORCH", problem);
        Assert.Contains("not available", json.GetProperty("facts").GetProperty("CUDA in torch").GetString());
    }

    [Fact]
    public void Launcher_variables_place_the_rank_and_several_cpu_ranks_use_mpi_under_mpiexec()
    {
        var torchrun = GeneformerProcess.RunWith(new Dictionary<string, string> { ["RANK"] = "1", ["WORLD_SIZE"] = "2", ["LOCAL_RANK"] = "1" }, "doctor", "--device", "cpu");
        Assert.True(torchrun.ExitCode == 0, torchrun.ToString());
        Assert.Matches(@"(?m)^rank +1 of 2, local rank 1$", torchrun.StdOut);
        Assert.Contains("RANK=1 WORLD_SIZE=2 LOCAL_RANK=1", torchrun.StdOut);

        var mpi = GeneformerProcess.RunMpi(2, "doctor", "--device", "cpu", "--no-coordinator");
        Assert.True(mpi.ExitCode == 0, mpi.ToString());
        Assert.Contains("MPI without a coordinator: would start", mpi.StdOut);
        Assert.Matches(@"(?m)^rank +1 of 2, local rank", mpi.StdOut);

        var bad = GeneformerProcess.RunWith(new Dictionary<string, string> { ["RANK"] = "2", ["WORLD_SIZE"] = "2" }, "doctor", "--device", "cpu");
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("rank 2 of 2", bad.StdErr);
    }
}
