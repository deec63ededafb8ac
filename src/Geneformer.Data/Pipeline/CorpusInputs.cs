using System.Security.Cryptography;

namespace Geneformer.Data.Pipeline;

/// <summary>Turns the <c>--input</c> arguments into an ordered list of readable inputs, and checksums them.</summary>
public static class CorpusInputs
{
    private static readonly string[] FileExtensions = [".h5ad", ".h5"];

    /// <summary>
    /// Files are kept as given; a folder holding a 10x matrix (matrix.mtx[.gz]) is one input; any other
    /// folder contributes its .h5ad/.h5 files and its 10x sub-folders, in ordinal name order.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var result = new List<string>();
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full)) result.Add(full);
            else if (Directory.Exists(full))
            {
                if (IsTenXFolder(full)) { result.Add(full); continue; }
                var found = Directory.EnumerateFiles(full).Where(f => FileExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .Concat(Directory.EnumerateDirectories(full).Where(IsTenXFolder))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new FileNotFoundException($"{full}: no .h5ad, .h5 or 10x matrix folders in it");
                result.AddRange(found);
            }
            else throw new FileNotFoundException($"input {input} not found", input);
        }
        var duplicate = result.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"input {duplicate.Key} is given more than once");
        return result;
    }

    private static bool IsTenXFolder(string dir) =>
        File.Exists(Path.Combine(dir, "matrix.mtx")) || File.Exists(Path.Combine(dir, "matrix.mtx.gz"));

    /// <summary>SHA-256 of a file, or of a folder's files (name and content, ordinal order).</summary>
    public static string Sha256(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = File.Exists(path) ? [path] : Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).ToArray();
        var buffer = new byte[1 << 20];
        foreach (var f in files)
        {
            if (files.Length > 1 || Directory.Exists(path)) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(f) + "\0"));
            using var s = File.OpenRead(f);
            int n;
            while ((n = s.Read(buffer)) > 0) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
