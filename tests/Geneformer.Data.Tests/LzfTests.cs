using System.Text;
using Geneformer.Data.AnnData;
using PureHDF.Filters;

namespace Geneformer.Data.Tests;

public class LzfTests
{
    [Fact]
    public void Decodes_literals_and_overlapping_back_references()
    {
        var output = new byte[10];
        // Literal "a", then a back reference of 9 bytes at distance 1 (extended length byte).
        Assert.Equal(10, LzfDecoder.TryDecode([0x00, (byte)'a', 0xE0, 0x00, 0x00], output));
        Assert.Equal("aaaaaaaaaa", Encoding.ASCII.GetString(output));

        output = new byte[9];
        // Literal "abc", then 6 bytes from distance 3.
        Assert.Equal(9, LzfDecoder.TryDecode([0x02, (byte)'a', (byte)'b', (byte)'c', 0x80, 0x02], output));
        Assert.Equal("abcabcabc", Encoding.ASCII.GetString(output));
    }

    [Fact]
    public void Rejects_references_before_the_start_and_output_overflow()
    {
        Assert.Equal(-1, LzfDecoder.TryDecode([0x20, 0x05], new byte[16]));
        Assert.Equal(-1, LzfDecoder.TryDecode([0x03, 1, 2, 3, 4], new byte[2]));
    }

    [Fact]
    public void A_chunk_h5py_stored_uncompressed_passes_through_unchanged()
    {
        // Raw chunk of 8 bytes that is not valid LZF (the first control byte refers before the start).
        byte[] raw = [0xFF, 1, 2, 3, 4, 5, 6, 7];
        var result = new LzfFilter().Filter(new FilterInfo(H5FilterFlags.Decompress, [4, 4, 8], 8, raw));
        Assert.Equal(raw, result.ToArray());

        // A compressed chunk of another size that does not decode is corrupt.
        Assert.Throws<InvalidDataException>(() => new LzfFilter().Filter(new FilterInfo(H5FilterFlags.Decompress, [4, 4, 8], 8, new byte[] { 0xFF, 1, 2 })));
    }
}
