namespace Geneformer.TestSupport;

/// <summary>
/// The geneformer command laid out as the bundle without libtorch (tools/bundle.sh --flavour external): this test
/// output, linked file by file into a temporary folder, less libtorch's libraries. The program's own files are copied,
/// since the .NET host takes the app folder from the real path of geneformer.dll.
/// </summary>
public sealed class BuildWithoutLibTorch : IDisposable
{
    private readonly TempDir tmp = new();

    public string Folder => tmp["app"];
    public string Dll => Path.Combine(Folder, "geneformer.dll");

    /// <summary>libtorch's own libraries, as tools/bundle.sh leaves them out; libLibTorchSharp.so (TorchSharp's binding) stays.</summary>
    public static bool IsLibTorch(string fileName) =>
        (fileName.StartsWith("libtorch", StringComparison.Ordinal) || fileName.StartsWith("libc10", StringComparison.Ordinal) || fileName.StartsWith("libgomp", StringComparison.Ordinal)
            || fileName is "libshm.so" or "libbackend_with_compiler.so" or "libjitbackend_test.so" or "libnnapi_backend.so" or "libaoti_custom_ops.so")
        && fileName.Contains(".so", StringComparison.Ordinal);

    public BuildWithoutLibTorch()
    {
        Mirror(AppContext.BaseDirectory.TrimEnd('/'), Folder);
        foreach (var own in new[] { "geneformer.dll", "geneformer.deps.json", "geneformer.runtimeconfig.json" })
        {
            File.Delete(Path.Combine(Folder, own));
            File.Copy(Path.Combine(AppContext.BaseDirectory, own), Path.Combine(Folder, own));
        }
    }

    private static void Mirror(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            if (!IsLibTorch(Path.GetFileName(file))) File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
        foreach (var dir in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(dir);
            if (Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Any(f => IsLibTorch(Path.GetFileName(f))))
                Mirror(dir, Path.Combine(target, name));
            else
                Directory.CreateSymbolicLink(Path.Combine(target, name), dir);
        }
    }

    public ProcessResult Run(IDictionary<string, string> env, params string[] args) => GeneformerProcess.RunWith(env, Dll, args);

    public void Dispose() => tmp.Dispose();
}
