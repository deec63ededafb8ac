using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Geneformer.Model.Native;

/// <summary>
/// A libtorch folder outside this build (a PyTorch install's <c>torch/lib</c>, an unpacked libtorch archive),
/// named by <c>GENEFORMER_LIBTORCH</c>: a folder, or <c>python</c> / <c>python:INTERPRETER</c> to ask that
/// interpreter's <c>import torch</c> where it is.
/// </summary>
/// <param name="Version">libtorch's version as its install states it (PyTorch's <c>torch.__version__</c>), or null when nothing says</param>
public sealed partial record LibTorchLocation(string Folder, string? Version, string Setting)
{
    public const string Variable = "GENEFORMER_LIBTORCH";

    /// <summary>The libraries a libtorch folder must hold.</summary>
    public static readonly string[] RequiredLibraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>The location named by <c>GENEFORMER_LIBTORCH</c>, or null when it is unset or empty.</summary>
    public static LibTorchLocation? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? Resolve(value) : null;

    public static LibTorchLocation Resolve(string setting)
    {
        if (setting == "python" || setting.StartsWith("python:", StringComparison.Ordinal))
            return FromPython(setting == "python" ? "python3" : setting["python:".Length..], setting);
        var folder = Path.GetFullPath(setting);
        Check(folder, setting);
        return new LibTorchLocation(folder, VersionOf(folder), setting);
    }

    private static LibTorchLocation FromPython(string interpreter, string setting)
    {
        const string script = "import os, torch; print(torch.__version__); print(os.path.join(os.path.dirname(torch.__file__), 'lib'))";
        var psi = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"{Variable}={setting}: could not start {interpreter}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Variable}={setting}: cannot run {interpreter} ({e.Message}); name the interpreter (python:/path/to/python3) or the folder (torch/lib)");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                p.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{Variable}={setting}: `{interpreter} -c \"import torch\"` did not answer within 60 s");
            }
            var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (p.ExitCode != 0 || lines.Length < 2)
            {
                var why = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? $"exit code {p.ExitCode}";
                throw new InvalidOperationException($"{Variable}={setting}: `{interpreter} -c \"import torch\"` failed: {why}");
            }
            var folder = lines[^1];
            Check(folder, setting);
            return new LibTorchLocation(folder, lines[^2], setting);
        }
    }

    private static void Check(string folder, string setting)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{Variable}={setting}: folder {folder} does not exist; expected a libtorch folder (a PyTorch install's torch/lib) or 'python'");
        var missing = RequiredLibraries.Where(l => !File.Exists(Path.Combine(folder, l))).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException($"{Variable}={setting}: {folder} has no {string.Join(", ", missing)}; expected a libtorch folder (a PyTorch install's torch/lib)");
    }

    /// <summary>
    /// The version a libtorch folder's install states: PyTorch's <c>torch/version.py</c> beside <c>torch/lib</c>, a
    /// libtorch archive's <c>build-version</c>, or a NuGet package folder's version (<c>libtorch-*/2.10.0/runtimes/...</c>).
    /// </summary>
    public static string? VersionOf(string folder)
    {
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder));
        if (parent is not null)
        {
            var versionPy = Path.Combine(parent, "version.py");
            if (File.Exists(versionPy) && VersionPy().Match(File.ReadAllText(versionPy)) is { Success: true } m) return m.Groups[1].Value;
            var buildVersion = Path.Combine(parent, "build-version");
            if (File.Exists(buildVersion)) return File.ReadAllText(buildVersion).Trim();
        }
        return NuGetFolder().Match(folder.Replace('\\', '/')) is { Success: true } n ? n.Groups[1].Value : null;
    }

    [GeneratedRegex(@"(?m)^__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionPy();

    [GeneratedRegex(@"/libtorch-[^/]+/(\d+\.\d+\.\d+[^/]*)/runtimes/")]
    private static partial Regex NuGetFolder();
}
