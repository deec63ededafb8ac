using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests.Slurm;

/// <summary>
/// A real single-node Slurm (munged, slurmctld, slurmd from Debian) started once per test class with
/// tools/slurm-local.sh and always stopped. If it cannot start, every test of the class fails with the daemons' logs.
/// </summary>
public sealed class LocalSlurmFixture : IDisposable
{
    private readonly TempDir tmp = new();
    private readonly string? startError;

    public string Base => tmp["slurm"];
    public string Conf => Path.Combine(Base, "slurm.conf");

    public LocalSlurmFixture()
    {
        var r = ProcessRunner.Run("bash", [Script, "start", Base], TimeSpan.FromMinutes(2));
        if (r.ExitCode != 0 || !r.StdOut.Contains($"export SLURM_CONF={Conf}"))
            startError = $"tools/slurm-local.sh start failed (needs root and the Debian packages slurm-wlm, munge):\n{r}";
    }

    private static string Script => Path.Combine(RepoPaths.Root, "tools", "slurm-local.sh");

    /// <summary>Throws (failing the test) when Slurm did not start.</summary>
    public void EnsureStarted()
    {
        if (startError is not null) throw new InvalidOperationException(startError);
    }

    /// <summary>Runs a Slurm client command (squeue, scontrol, scancel, sinfo) against this cluster.</summary>
    public ProcessResult Run(string command, params string[] args) =>
        ProcessRunner.Run(command, args, TimeSpan.FromSeconds(30), env: new Dictionary<string, string> { ["SLURM_CONF"] = Conf });

    public ProcessResult RunChecked(string command, params string[] args)
    {
        var r = Run(command, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {r}");
        return r;
    }

    /// <summary>The job's state (PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, ...), from scontrol while slurmctld remembers it.</summary>
    public string JobState(string id)
    {
        var r = Run("scontrol", "show", "job", id, "-o");
        var field = r.StdOut.Split(' ').FirstOrDefault(f => f.StartsWith("JobState=", StringComparison.Ordinal));
        return field?["JobState=".Length..] ?? $"unknown ({r.StdErr.Trim()})";
    }

    public bool InQueue(string id) => Run("squeue", "-h", "-j", id).StdOut.Trim().Length > 0;

    public void Dispose()
    {
        ProcessRunner.Run("bash", [Script, "stop", Base], TimeSpan.FromMinutes(2));
        tmp.Dispose();
    }
}
