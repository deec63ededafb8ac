

namespace Geneformer.TestSupport;

/// <summary>Runs the real <c>geneformer</c> command (the built geneformer.dll) as a user would, in its own process.</summary>
public static class GeneformerProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "geneformer.dll");

    public static ProcessResult Run(params string[] args) => Run(TimeSpan.FromMinutes(5), args);

    public static ProcessResult Run(TimeSpan timeout, params string[] args) =>
        ProcessRunner.Run("dotnet", [Dll, .. args], timeout, env: CommandEnvironment);

    /// <summary>The command with extra environment variables (added to the caller's).</summary>
    public static ProcessResult RunWith(IDictionary<string, string> env, params string[] args) => RunWith(env, Dll, args);

    /// <summary>Another build of the command (<paramref name="dll"/>) with extra environment variables.</summary>
    public static ProcessResult RunWith(IDictionary<string, string> env, string dll, string[] args)
    {
        var all = CommandEnvironment;
        foreach (var (k, v) in env) all[k] = v;
        return ProcessRunner.Run("dotnet", [dll, .. args], TimeSpan.FromMinutes(5), env: all);
    }

    /// <summary>The command as <paramref name="ranks"/> MPI ranks under MPICH's <c>mpiexec.mpich -n N</c>, one process each.</summary>
    public static ProcessResult RunMpi(int ranks, params string[] args) => RunMpi(TimeSpan.FromMinutes(5), ranks, args);

    public static ProcessResult RunMpi(TimeSpan timeout, int ranks, params string[] args) =>
        ProcessRunner.Run("mpiexec.mpich", ["-n", ranks.ToString(), "dotnet", Dll, .. args], timeout, env: CommandEnvironment);

    /// <summary>
    /// Starts the command without waiting; its stdout and stderr lines are appended to <paramref name="output"/> (lock it
    /// to read). <paramref name="env"/> adds environment variables.
    /// </summary>
    public static System.Diagnostics.Process Start(System.Text.StringBuilder output, IDictionary<string, string>? env, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Dll, .. args]) psi.ArgumentList.Add(a);
        foreach (var (k, v) in CommandEnvironment) psi.Environment[k] = v;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = System.Diagnostics.Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static Dictionary<string, string> CommandEnvironment => new()
    {
        ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs"),
    };
}
