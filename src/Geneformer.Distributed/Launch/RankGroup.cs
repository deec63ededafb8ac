using System.Diagnostics;

namespace Geneformer.Distributed.Launch;

/// <summary>
/// The rank processes of one launch: one launcher that starts them all (<c>mpiexec.mpich -n N</c> for CPU ranks on one
/// machine, <c>srun</c> under Slurm), or one process per rank told its place by torchrun's variables (RANK, WORLD_SIZE,
/// LOCAL_RANK): CUDA ranks under the coordinator need no MPI.
/// </summary>
public sealed class RankGroup : IDisposable
{
    private readonly Process[] processes;

    private RankGroup(Process[] processes) => this.processes = processes;

    /// <summary>
    /// <c>mpiexec.mpich -n N</c>; with more than one node, one MPMD segment per rank tells each its node's name and
    /// its place there (GENEFORMER_NODE, GENEFORMER_LOCAL_RANK), as a multi-node launcher would.
    /// </summary>
    public static RankGroup StartMpi(int ranks, string[] command, int nodes = 1)
    {
        List<string> args = ["mpiexec.mpich"];
        if (nodes <= 1) args.AddRange(["-n", ranks.ToString(), .. command]);
        else
        {
            var perNode = ranks / nodes;
            for (var rank = 0; rank < ranks; rank++)
            {
                if (rank > 0) args.Add(":");
                args.AddRange(["-n", "1", "-env", "GENEFORMER_NODE", LocalNodeName(rank / perNode, nodes), "-env", "GENEFORMER_LOCAL_RANK", (rank % perNode).ToString(), .. command]);
            }
        }
        try
        {
            return StartLauncher(args);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("--local with MPI needs MPICH's mpiexec.mpich on PATH (Debian: apt-get install mpich)", e);
        }
    }

    /// <summary>One launcher process that starts every rank itself (<c>mpiexec</c>, <c>srun</c>).</summary>
    public static RankGroup StartLauncher(IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        return new RankGroup([Process.Start(psi) ?? throw new InvalidOperationException($"{command[0]} did not start")]);
    }

    public static RankGroup StartDirect(int ranks, string[] command)
    {
        var started = new List<Process>();
        try
        {
            for (var rank = 0; rank < ranks; rank++)
            {
                var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false };
                foreach (var a in command[1..]) psi.ArgumentList.Add(a);
                psi.Environment["RANK"] = rank.ToString();
                psi.Environment["WORLD_SIZE"] = ranks.ToString();
                psi.Environment["LOCAL_RANK"] = rank.ToString();
                started.Add(Process.Start(psi) ?? throw new InvalidOperationException($"rank {rank} did not start"));
            }
            return new RankGroup([.. started]);
        }
        catch
        {
            foreach (var p in started) p.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>The name of node <paramref name="index"/> of a machine laid out as <paramref name="nodes"/> nodes: node-03 of 8.</summary>
    public static string LocalNodeName(int index, int nodes) => $"node-{index.ToString().PadLeft(Math.Max(2, (nodes - 1).ToString().Length), '0')}";

    public Task WaitForExitAsync() => Task.WhenAll(processes.Select(p => p.WaitForExitAsync()));

    public bool WaitForExit(TimeSpan timeout) => WaitForExitAsync().Wait(timeout);

    /// <summary>The launch's exit code: a rank's own failure before the aborts it caused in the others (76), 0 when all finished cleanly.</summary>
    public int ExitCode
    {
        get
        {
            var codes = processes.Select(p => p.ExitCode).ToArray();
            return codes.FirstOrDefault(c => c is not 0 and not RankRunner.AbortedExitCode, codes.FirstOrDefault(c => c != 0));
        }
    }

    public void Kill()
    {
        foreach (var p in processes)
            if (!p.HasExited) p.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        foreach (var p in processes) p.Dispose();
    }
}
