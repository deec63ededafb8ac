using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Geneformer.Collectives;
using Geneformer.Collectives.Nccl;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Collectives.Tests;

/// <summary>The parts of the NCCL backend that run without a GPU: marshalling, type mapping, errors, backend choice.</summary>
public class NcclTests
{
    [Fact]
    public void The_unique_id_is_a_128_byte_value_type_that_round_trips_through_bytes_and_text()
    {
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
        Assert.Equal(128, Unsafe.SizeOf<NcclUniqueId>());
        var bytes = Enumerable.Range(0, 128).Select(i => (byte)(i * 7 + 3)).ToArray();
        var id = NcclUniqueId.FromArray(bytes);
        Assert.Equal(bytes, id.ToArray());
        Assert.Equal(bytes, NcclUniqueId.FromBase64(id.ToBase64()).ToArray());
        Assert.Throws<ArgumentException>(() => NcclUniqueId.FromArray(new byte[127]));
    }

    [Fact]
    public void Torch_types_map_to_nccl_types_and_unsupported_ones_are_refused()
    {
        Assert.Equal(NcclDataType.Float32, NcclMapping.DataType(ScalarType.Float32));
        Assert.Equal(NcclDataType.Bfloat16, NcclMapping.DataType(ScalarType.BFloat16));
        Assert.Equal(NcclDataType.Int64, NcclMapping.DataType(ScalarType.Int64));
        Assert.Equal(7, (int)NcclDataType.Float32); // the values of nccl.h
        Assert.Equal(9, (int)NcclDataType.Bfloat16);
        Assert.Throws<NotSupportedException>(() => NcclMapping.DataType(ScalarType.ComplexFloat32));
    }

    [Fact]
    public void A_failed_call_names_the_call_and_the_reason()
    {
        var e = Assert.Throws<NcclException>(() => NcclMapping.Check(NcclResult.RemoteError, "ncclAllReduce"));
        Assert.Contains("ncclAllReduce", e.Message);
        Assert.Contains("remote rank", e.Message);
        NcclMapping.Check(NcclResult.Success, "ncclAllReduce");
    }

    [Fact]
    public void Nccl_is_chosen_for_cuda_with_the_coordinator_or_mpi_sharing_its_id_mpi_for_cpu_and_none_for_one_process()
    {
        Assert.Equal(CollectivesBackend.NcclOverCoordinator, CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: false, underCoordinator: true, launcherWorldSize: 8));
        Assert.Equal(CollectivesBackend.NcclOverCoordinator, CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: true, underCoordinator: true, launcherWorldSize: 8));
        Assert.Equal(CollectivesBackend.NcclOverMpi, CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: true, underCoordinator: false, launcherWorldSize: 8));
        Assert.Equal(CollectivesBackend.None, CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: false, underCoordinator: false, launcherWorldSize: 1));
        Assert.Equal(CollectivesBackend.Mpi, CollectivesFactory.Choose(DeviceType.CPU, underMpiLauncher: true, underCoordinator: true, launcherWorldSize: 2));
        Assert.Equal(CollectivesBackend.None, CollectivesFactory.Choose(DeviceType.CPU, underMpiLauncher: false, underCoordinator: false, launcherWorldSize: 1));
    }

    [Fact]
    public void Several_cuda_ranks_with_neither_mpi_nor_a_coordinator_are_refused_saying_how_to_launch()
    {
        var e = Assert.Throws<InvalidOperationException>(() => CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: false, underCoordinator: false, launcherWorldSize: 4));
        Assert.Contains("4 CUDA ranks", e.Message);
        Assert.Contains("coordinator", e.Message);
    }

    [Fact]
    public void A_start_order_without_an_nccl_id_or_for_another_world_size_is_refused_before_nccl_starts()
    {
        var placement = new RankPlacement(1, 2, 1);
        Assert.Contains("no NCCL id", Assert.Throws<InvalidOperationException>(() => CollectivesFactory.NcclFromStartOrder(null, 2, placement)).Message);
        var id = new NcclUniqueId().ToBase64();
        Assert.Contains("expects 4 ranks but the launcher started 2", Assert.Throws<InvalidOperationException>(() => CollectivesFactory.NcclFromStartOrder(id, 4, placement)).Message);
    }

    [Fact]
    public void Nccl_refuses_a_tensor_that_is_not_on_its_gpu_naming_both_devices()
    {
        using var cpuTensor = zeros(4);
        var e = Assert.Throws<InvalidOperationException>(() => NcclCollectives.CheckOnDevice(cpuTensor, 1));
        Assert.Contains("cuda:1", e.Message);
        Assert.Contains("cpu", e.Message);
    }

    [Fact]
    public void Launcher_variables_give_rank_and_size_with_slurm_procid_last()
    {
        var env = new Dictionary<string, string?> { ["SLURM_PROCID"] = "0", ["PMI_RANK"] = "3", ["PMI_SIZE"] = "4" };
        Assert.Equal(3, LaunchEnvironment.Rank(env));
        Assert.Equal(4, LaunchEnvironment.WorldSize(env));
        Assert.True(LaunchEnvironment.UnderMpiLauncher(env));
        Assert.False(LaunchEnvironment.UnderMpiLauncher(new Dictionary<string, string?> { ["SLURM_PROCID"] = "0" }));
    }

    [Fact]
    public void Torchrun_and_slurm_variables_place_a_rank_without_mpi()
    {
        var torchrun = new Dictionary<string, string?> { ["RANK"] = "5", ["WORLD_SIZE"] = "8", ["LOCAL_RANK"] = "1", ["SLURM_PROCID"] = "0" };
        Assert.Equal(new RankPlacement(5, 8, 1), LaunchEnvironment.Placement(torchrun));
        Assert.False(LaunchEnvironment.UnderMpiLauncher(torchrun));
        var srun = new Dictionary<string, string?> { ["SLURM_PROCID"] = "9", ["SLURM_NTASKS"] = "16", ["SLURM_LOCALID"] = "1" };
        Assert.Equal(new RankPlacement(9, 16, 1), LaunchEnvironment.Placement(srun));
        Assert.Equal(new RankPlacement(0, 1, 0), LaunchEnvironment.Placement(new Dictionary<string, string?>()));
        var bad = new Dictionary<string, string?> { ["RANK"] = "4", ["WORLD_SIZE"] = "4" };
        Assert.Contains("rank 4 of 4", Assert.Throws<ArgumentException>(() => LaunchEnvironment.Placement(bad)).Message);
    }

    [Fact]
    public void The_cuda_runtime_is_looked_for_first_where_libtorch_loaded_it_then_by_versioned_names_then_beside_the_libtorch_in_use()
    {
        using var tmp = new Geneformer.TestSupport.TempDir();
        var lib = Directory.CreateDirectory(tmp["site-packages/torch/lib"]).FullName;
        var wheel = Directory.CreateDirectory(tmp["site-packages/nvidia/cuda_runtime/lib"]).FullName;
        File.WriteAllText(Path.Combine(wheel, "libcudart.so.13"), "");
        var candidates = CudaLibraries.Candidates("libcudart", ["libcudart.so", "libcudart.so.13", "libcudart.so.12"], "cuda_runtime", lib, loaded: "/opt/torch/lib/libcudart-1a2b.so.13");
        Assert.Equal("/opt/torch/lib/libcudart-1a2b.so.13", candidates[0]);
        Assert.Equal(["libcudart.so", "libcudart.so.13", "libcudart.so.12"], candidates.Skip(1).Take(3));
        Assert.Equal(Path.Combine(wheel, "libcudart.so.13"), candidates[4]);
    }
}
