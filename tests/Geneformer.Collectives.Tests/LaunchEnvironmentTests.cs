using Geneformer.Collectives;

namespace Geneformer.Collectives.Tests;

public class LaunchEnvironmentTests
{
    [Fact]
    public void A_local_node_layout_names_the_node_and_the_place_on_it_before_mpi_s_machine_wide_count()
    {
        var layout = new Dictionary<string, string?> { ["GENEFORMER_NODE"] = "node-03", ["GENEFORMER_LOCAL_RANK"] = "5", ["MPI_LOCALRANKID"] = "29", ["SLURMD_NODENAME"] = "gpu17" };
        Assert.Equal("node-03", LaunchEnvironment.NodeName(layout));
        Assert.Equal(5, LaunchEnvironment.LocalRank(layout));
        var slurm = new Dictionary<string, string?> { ["SLURMD_NODENAME"] = "gpu17", ["SLURM_LOCALID"] = "2" };
        Assert.Equal("gpu17", LaunchEnvironment.NodeName(slurm));
        Assert.Equal(2, LaunchEnvironment.LocalRank(slurm));
        Assert.Equal(System.Net.Dns.GetHostName(), LaunchEnvironment.NodeName(new Dictionary<string, string?>()));
    }

    [Fact]
    public void Ranks_wait_for_an_all_reduce_without_holding_a_core_only_when_their_machine_has_more_ranks_than_cores()
    {
        Assert.Equal(64, LaunchEnvironment.RanksOnThisHost(new Dictionary<string, string?> { ["MPI_LOCALNRANKS"] = "64" }));
        Assert.Equal(8, LaunchEnvironment.RanksOnThisHost(new Dictionary<string, string?> { ["LOCAL_WORLD_SIZE"] = "8" }));
        Assert.Null(LaunchEnvironment.RanksOnThisHost(new Dictionary<string, string?>()));
        Assert.True(MpiWaiting.Oversubscribed(64, 2));
        Assert.False(MpiWaiting.Oversubscribed(8, 96));
        Assert.False(MpiWaiting.Oversubscribed(2, 2));
        Assert.False(MpiWaiting.Oversubscribed(null, 2));
    }
}
