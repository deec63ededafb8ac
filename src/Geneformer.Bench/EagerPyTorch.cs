using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Geneformer.Model;

namespace Geneformer.Bench;

/// <summary>
/// Runs tools/bench/eager_pytorch.py (shipped inside this program) with a Python that has torch: the same model,
/// built with plain torch.nn from the same config.json, timed on the same shapes and thread count.
/// </summary>
public static class EagerPyTorch
{
    public const string PythonVariable = "GENEFORMER_BENCH_PYTHON";
    /// <summary>Debian's interpreter (python3-torch); the one on PATH may be another build without torch.</summary>
    public const string DefaultPython = "/usr/bin/python3";
    /// <summary>
    /// Debian's python3-torch links the generic libblas.so.3, which is the unoptimised reference BLAS unless an
    /// optimised one is selected (about twenty times slower at a large fp32 matmul). When
    /// OpenBLAS is installed (libopenblas0-pthread) the script is pointed at it, so PyTorch is not handicapped;
    /// the library actually loaded is reported with every figure.
    /// </summary>
    public const string OpenBlasDirectory = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    /// <param name="Precision">"fp32" or "bf16" (bf16 matrix products, fp32 weights, optimizer state, logits and loss)</param>
    public sealed record Run(string Mode, BertConfig Config, int Batch, int SeqLen, int Steps, int Warmup, int Threads, string Precision);

    public static EagerResult Measure(Run run)
    {
        var dir = Directory.CreateTempSubdirectory("geneformer-eager-").FullName;
        try
        {
            var script = Path.Combine(dir, "eager_pytorch.py");
            using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("eager_pytorch.py")
                                  ?? throw new InvalidOperationException("eager_pytorch.py is not embedded in this build"))
            using (var file = File.Create(script))
                resource.CopyTo(file);
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, run.Config.ToJson());

            var python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } p ? p : DefaultPython;
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { script, "--config", config, "--mode", run.Mode, "--batch", run.Batch.ToString(), "--seq-len", run.SeqLen.ToString(),
                                      "--steps", run.Steps.ToString(), "--warmup", run.Warmup.ToString(), "--threads", run.Threads.ToString(), "--precision", run.Precision })
                psi.ArgumentList.Add(a);
            // The same thread count for every pool the script may use: torch's intra-op (set by the script), OpenMP, OpenBLAS.
            psi.Environment["OMP_NUM_THREADS"] = run.Threads.ToString();
            psi.Environment["OPENBLAS_NUM_THREADS"] = run.Threads.ToString();
            if (File.Exists(Path.Combine(OpenBlasDirectory, "libblas.so.3")))
                psi.Environment["LD_LIBRARY_PATH"] = OpenBlasDirectory + (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } l ? ":" + l : "");
            Process process;
            try
            {
                process = Process.Start(psi) ?? throw new InvalidOperationException($"{python} did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"the PyTorch comparison needs {python} with torch (Debian: apt-get install python3-torch; or set {PythonVariable})", e);
            }
            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"{python} eager_pytorch.py --mode {run.Mode} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
                return Parse(stdout);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static EagerResult Parse(string stdout)
    {
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                   ?? throw new InvalidDataException("eager_pytorch.py printed nothing");
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        var phases = new[] { "forward_s", "backward_s", "optimizer_s" }
            .Where(k => r.TryGetProperty(k, out _)).ToDictionary(k => k, k => r.GetProperty(k).GetDouble());
        return new EagerResult(r.GetProperty("tokens_per_s").GetDouble(), r.GetProperty("cells_per_s").GetDouble(), r.GetProperty("seconds_per_step").GetDouble(),
            r.GetProperty("threads").GetInt32(), r.GetProperty("torch_version").GetString()!, r.GetProperty("attention").GetString()!, r.GetProperty("blas").GetString()!, phases);
    }
}
