using PureHDF;

namespace Geneformer.Data.AnnData;

/// <summary>Where the chosen matrix lives and which var frame names its columns (raw/X's genes are raw/var, not var).</summary>
internal sealed record AnnDataMatrixChoice(string MatrixPath, string VarPath)
{
    /// <param name="matrix">"auto", "X", "raw" or "layer:NAME" (see <see cref="Matrix.CellSourceOptions.Matrix"/>).</param>
    public static AnnDataMatrixChoice Resolve(IH5Group root, string matrix, string file)
    {
        var raw = root.LinkExists("raw/X") ? new AnnDataMatrixChoice("raw/X", "raw/var")
            : root.LinkExists("raw.X") ? new AnnDataMatrixChoice("raw.X", "raw.var") // pre-0.7 writers
            : null;
        var x = new AnnDataMatrixChoice("X", "var");
        AnnDataMatrixChoice chosen;
        if (string.Equals(matrix, "auto", StringComparison.OrdinalIgnoreCase)) chosen = raw ?? x;
        else if (string.Equals(matrix, "X", StringComparison.OrdinalIgnoreCase)) chosen = x;
        else if (string.Equals(matrix, "raw", StringComparison.OrdinalIgnoreCase)) chosen = raw ?? new AnnDataMatrixChoice("raw/X", "raw/var");
        else if (matrix.StartsWith("layer:", StringComparison.Ordinal) && matrix.Length > "layer:".Length)
            chosen = new AnnDataMatrixChoice($"layers/{matrix["layer:".Length..]}", "var");
        else throw new ArgumentException($"unknown matrix '{matrix}': expected auto, X, raw or layer:NAME", nameof(matrix));

        if (!root.LinkExists(chosen.MatrixPath))
            throw new InvalidDataException($"{file}: no expression matrix at '{chosen.MatrixPath}'; the file has {Available(root)}");
        return chosen;
    }

    /// <summary>The matrices present, for messages: "X, raw/X, layers/counts" or "no matrix (only metadata)".</summary>
    public static string Available(IH5Group root)
    {
        var found = new List<string>();
        if (root.LinkExists("X")) found.Add("X");
        if (root.LinkExists("raw/X")) found.Add("raw/X");
        if (root.LinkExists("raw.X")) found.Add("raw.X");
        if (root.LinkExists("layers") && root.Get("layers") is IH5Group layers)
            found.AddRange(layers.Children().Select(c => $"layers/{c.Name}"));
        return found.Count == 0 ? "no matrix at all (only metadata: X, raw/X and layers are absent)" : string.Join(", ", found);
    }
}
