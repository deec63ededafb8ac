using System.Runtime.InteropServices;

namespace Geneformer.Collectives.Nccl;

/// <summary>ncclUniqueId: an opaque 128-byte blob made by rank 0 and handed to every rank; passed BY VALUE to ncclCommInitRank.</summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
public unsafe struct NcclUniqueId
{
    public const int Bytes = 128;
    public fixed byte Internal[Bytes];

    public byte[] ToArray()
    {
        var a = new byte[Bytes];
        fixed (byte* p = Internal) new ReadOnlySpan<byte>(p, Bytes).CopyTo(a);
        return a;
    }

    public static NcclUniqueId FromArray(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes) throw new ArgumentException($"an NCCL unique id is {Bytes} bytes, got {bytes.Length}");
        var id = new NcclUniqueId();
        bytes.CopyTo(new Span<byte>(id.Internal, Bytes));
        return id;
    }

    /// <summary>Text form for passing through the coordinator or an environment variable.</summary>
    public string ToBase64() => Convert.ToBase64String(ToArray());

    public static NcclUniqueId FromBase64(string text) => FromArray(Convert.FromBase64String(text));
}
