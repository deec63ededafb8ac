using System.ComponentModel;
using System.Diagnostics;

namespace Geneformer.Distributed.Slurm;

/// <summary>Submits a batch script with <c>sbatch --parsable</c> (script on stdin) and returns the job id.</summary>
public static class Sbatch
{
    /// <summary>The sbatch command; GENEFORMER_SBATCH overrides it (a wrapper, or a full path).</summary>
    public static string Command => Environment.GetEnvironmentVariable("GENEFORMER_SBATCH") is { Length: > 0 } s ? s : "sbatch";

    public static string Submit(string script)
    {
        var psi = new ProcessStartInfo(Command)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--parsable");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new SubmitException($"could not start {Command}");
        }
        catch (Win32Exception e)
        {
            throw new SubmitException($"cannot run '{Command}' ({e.Message}): submit needs the Slurm client commands (sbatch) on PATH; run it on a login node, or use --dry-run to print the script");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new SubmitException($"{Command} did not answer in 2 minutes (is slurmctld reachable?)");
            }
            var err = stderr.Result.Trim();
            if (process.ExitCode != 0)
                throw new SubmitException($"{Command} failed (exit {process.ExitCode}): {(err.Length > 0 ? err : "no message")}");
            // --parsable prints "jobid" or "jobid;cluster".
            var id = stdout.Result.Trim().Split(';')[0];
            if (!long.TryParse(id, out _))
                throw new SubmitException($"{Command} printed no job id (stdout '{stdout.Result.Trim()}', stderr '{err}')");
            return id;
        }
    }
}
