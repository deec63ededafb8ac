using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Geneformer.Distributed.Collectives;
using Geneformer.Distributed.Collectives.Nccl;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Distributed.Tests;

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
    public void Nccl_is_chosen_for_cuda_mpi_for_cpu_and_none_outside_a_launcher()
    {
        Assert.Equal(CollectivesBackend.Nccl, CollectivesFactory.Choose(DeviceType.CUDA, underMpiLauncher: true));
        Assert.Equal(CollectivesBackend.Mpi, CollectivesFactory.Choose(DeviceType.CPU, underMpiLauncher: true));
        Assert.Equal(CollectivesBackend.None, CollectivesFactory.Choose(DeviceType.CPU, underMpiLauncher: false));
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
}
