using System.Diagnostics;

namespace Geneformer.TestSupport;

/// <summary>Runs real processes for tests (Debian's python3 with torch, the geneformer command, mpiexec).</summary>
public static class ProcessRunner
{
    /// <summary>Debian's interpreter, which has python3-torch and python3-numpy (the PATH one may be a pyenv build without them).</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static ProcessResult Run(string fileName, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in time");
        }
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessResult Python(string script, params string[] args) =>
        Run(DebianPython, [script, .. args]);

    public static ProcessResult Python(TimeSpan timeout, string script, params string[] args) =>
        Run(DebianPython, [script, .. args], timeout);
}
