namespace Geneformer.Data.AnnData;

/// <summary>
/// Decompresses LZF (Marc Lehmann's liblzf format, as written by h5py's LZF filter). No LZF package is
/// served by the registry reachable here, and the format is a few dozen lines, so it is decoded by hand.
/// </summary>
public static class LzfDecoder
{
    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>; returns the bytes written, or -1 if the
    /// input is not valid LZF or does not fit.</summary>
    public static int TryDecode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        while (ip < input.Length)
        {
            int ctrl = input[ip++];
            if (ctrl < 32)
            {
                // Literal run of ctrl + 1 bytes.
                int length = ctrl + 1;
                if (ip + length > input.Length || op + length > output.Length) return -1;
                input.Slice(ip, length).CopyTo(output[op..]);
                ip += length;
                op += length;
            }
            else
            {
                // Back reference: length in the top 3 bits (7 = extended by one more byte), offset in 13 bits.
                int length = ctrl >> 5;
                if (length == 7)
                {
                    if (ip >= input.Length) return -1;
                    length += input[ip++];
                }
                if (ip >= input.Length) return -1;
                int reference = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
                length += 2;
                if (reference < 0 || op + length > output.Length) return -1;
                // Byte by byte: the source may overlap the bytes being written (run-length style repeats).
                for (int i = 0; i < length; i++) output[op++] = output[reference++];
            }
        }
        return op;
    }
}
