using System.IO.Compression;
using Geneformer.Data.Matrix;
using Geneformer.Data.TenX;
using Geneformer.Data.Tests.TestData;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

public class TenXTests
{
    private const string Folder3 = "scanpy-10x/3.0.0/filtered_feature_bc_matrix";
    private const string Folder12 = "scanpy-10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";

    [Theory]
    [InlineData(Folder3)]
    [InlineData(Folder12)]
    [InlineData("scanpy-10x/3.0.0/filtered_feature_bc_matrix.h5")]
    [InlineData("scanpy-10x/1.2.0/filtered_gene_bc_matrices_h5.h5")]
    public void Values_and_ids_match_scipy(string input)
    {
        var expected = Expected.TenX(input);
        using var source = CellSources.Open(SharedData.File(input));
        Assert.IsType(input.EndsWith(".h5") ? typeof(TenXH5File) : typeof(TenXMtxFolder), source);
        Assert.Equal(expected.Cells, source.CellCount);
        Assert.Equal(expected.Genes, source.GeneIds.Count);
        Assert.Equal(expected.FirstGene, source.GeneIds[0]);
        Assert.Equal(expected.LastGene, source.GeneIds[^1]);
        Assert.Equal(expected.FirstCell, source.CellIds[0]);
        Assert.Equal(expected.LastCell, source.CellIds[^1]);
        Assert.Empty(source.ObsColumns);
        MatrixSummary.Of(source, 100).AssertMatches(expected);

        using var symbols = CellSources.Open(SharedData.File(input), new CellSourceOptions { GeneIdColumn = "gene_symbols" });
        Assert.Equal(expected.FirstSymbol, symbols.GeneIds[0]);
        Assert.Equal(expected.LastSymbol, symbols.GeneIds[^1]);
    }

    [Fact]
    public void Folder_and_h5_of_the_same_run_hold_the_same_cells_for_any_block_size()
    {
        using var folder = CellSources.Open(SharedData.File(Folder3, "matrix.mtx.gz"));
        using var h5 = CellSources.Open(SharedData.File("scanpy-10x", "3.0.0", "filtered_feature_bc_matrix.h5"));
        var expected = CellContents.Read(h5, 1024);
        foreach (int size in new[] { 1, 7, 1024 })
        {
            CellContents.AssertEqual(expected, CellContents.Read(folder, size));
            CellContents.AssertEqual(expected, CellContents.Read(h5, size));
        }
    }

    [Fact]
    public void Entries_not_ordered_by_cell_are_transposed_out_of_core()
    {
        using var tmp = new TempDir();
        var folder = CopyFolder(Folder3, tmp.Path);
        // Rewrite the matrix with its entries shuffled and uncompressed.
        var lines = ReadLines(Path.Combine(folder, "matrix.mtx.gz"));
        var header = lines.TakeWhile(l => l.StartsWith('%')).Append(lines.First(l => !l.StartsWith('%'))).ToList();
        var entries = lines.Skip(header.Count).ToList();
        var random = new Random(42);
        var shuffled = entries.OrderBy(_ => random.Next()).ToList();
        File.Delete(Path.Combine(folder, "matrix.mtx.gz"));
        File.WriteAllLines(Path.Combine(folder, "matrix.mtx"), header.Concat(shuffled));

        using var ordered = TenXMtxFolder.Open(SharedData.File(Folder3));
        using var unordered = TenXMtxFolder.Open(folder);
        unordered.MaxBucketEntries = 2000; // many buckets
        var expected = CellContents.Read(ordered, 64);
        CellContents.AssertEqual(expected, CellContents.Read(unordered, 64));
        CellContents.AssertEqual(expected, CellContents.Read(unordered, 1));
    }

    [Fact]
    public void Barcode_count_mismatch_and_duplicate_barcodes_are_errors()
    {
        using var tmp = new TempDir();
        var folder = CopyFolder(Folder12, tmp.Path);
        var barcodes = Path.Combine(folder, "barcodes.tsv");
        var lines = File.ReadAllLines(barcodes);

        File.WriteAllLines(barcodes, lines[..^1]);
        var e = Assert.Throws<InvalidDataException>(() => TenXMtxFolder.Open(folder));
        Assert.Contains("11 barcodes", e.Message);

        File.WriteAllLines(barcodes, lines[..^1].Append(lines[0]));
        var dup = Assert.Throws<InvalidDataException>(() => TenXMtxFolder.Open(folder));
        Assert.Contains("duplicate cell id", dup.Message);
        Assert.Contains(barcodes, dup.Message);
    }

    [Fact]
    public void Truncated_gzip_matrix_is_an_error_naming_the_file()
    {
        using var tmp = new TempDir();
        var folder = CopyFolder(Folder3, tmp.Path);
        var matrix = Path.Combine(folder, "matrix.mtx.gz");
        var bytes = File.ReadAllBytes(matrix);
        File.WriteAllBytes(matrix, bytes[..(bytes.Length / 2)]);
        using var source = TenXMtxFolder.Open(folder);
        var e = Assert.ThrowsAny<Exception>(() => source.ReadBlocks().ToList());
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains(matrix, e.Message);
    }

    [Fact]
    public void Missing_files_and_other_matrices_are_errors()
    {
        using var tmp = new TempDir();
        var folder = CopyFolder(Folder12, tmp.Path);
        File.Delete(Path.Combine(folder, "genes.tsv"));
        var e = Assert.Throws<InvalidDataException>(() => CellSources.Open(folder));
        Assert.Contains("genes.tsv", e.Message);
        Assert.Throws<InvalidDataException>(() => CellSources.Open(SharedData.File(Folder3), new CellSourceOptions { Matrix = "layer:counts" }));
        Assert.Throws<InvalidDataException>(() => CellSources.Open(SharedData.File(Folder3), new CellSourceOptions { GeneIdColumn = "feature_id" }));
    }

    private static string CopyFolder(string relative, string into)
    {
        var target = Path.Combine(into, Path.GetFileName(relative));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(SharedData.File(relative))) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private static List<string> ReadLines(string gz)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }
}
