using Geneformer.Data.AnnData;
using Geneformer.Data.TenX;
using PureHDF;

namespace Geneformer.Data.Matrix;

/// <summary>Opens any supported expression input by its type.</summary>
public static class CellSources
{
    private static readonly byte[] HdfSignature = [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    /// <summary>
    /// Opens <paramref name="path"/>: an AnnData .h5ad; a Cell Ranger .h5 (v3 or v1/v2); a Cell Ranger matrix folder
    /// (matrix.mtx(.gz) + features/genes.tsv + barcodes.tsv), or the matrix.mtx(.gz) file inside one. Any other
    /// HDF5 file is read as AnnData when it has obs and var. Throws <see cref="FileNotFoundException"/> for a missing
    /// path and <see cref="InvalidDataException"/> for anything else it cannot read.
    /// </summary>
    public static ICellSource Open(string path, CellSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            return TenXMtxFolder.IsMatrixFolder(path)
                ? TenXMtxFolder.Open(path, options)
                : throw new InvalidDataException($"{path}: a folder, but not a 10x matrix folder (no matrix.mtx or matrix.mtx.gz)");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or folder", path);

        var name = Path.GetFileName(path);
        if (name.Equals("matrix.mtx", StringComparison.OrdinalIgnoreCase) || name.Equals("matrix.mtx.gz", StringComparison.OrdinalIgnoreCase))
            return TenXMtxFolder.Open(Path.GetDirectoryName(Path.GetFullPath(path))!, options);
        if (!IsHdf5(path))
            throw new InvalidDataException(
                $"{path}: unsupported input; expected an AnnData .h5ad, a Cell Ranger .h5, a 10x matrix folder or its matrix.mtx(.gz)");
        if (path.EndsWith(".h5ad", StringComparison.OrdinalIgnoreCase)) return AnnDataFile.Open(path, options);

        using (var file = H5Guard.Run($"{path}: HDF5 file", () => H5File.OpenRead(path)))
        {
            if (TenXH5File.FindMatrixGroup(file) is not null) return TenXH5File.Open(path, options);
            if (!(file.LinkExists("obs") && file.LinkExists("var")))
                throw new InvalidDataException($"{path}: an HDF5 file, but neither AnnData (obs, var) nor a Cell Ranger matrix (matrix/ or a genome group)");
        }
        return AnnDataFile.Open(path, options);
    }

    private static bool IsHdf5(string path)
    {
        // The signature may sit at 0, 512, 1024, ... (a user block); AnnData and Cell Ranger files have it at 0.
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(HdfSignature);
    }
}
