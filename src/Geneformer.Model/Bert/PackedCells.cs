using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>
/// Cells laid end to end as one token sequence with no padding (a packed micro batch), and what attention needs to
/// keep each cell to itself. The tensors belong to the caller's dispose scope.
/// </summary>
/// <param name="Count">cells</param>
/// <param name="MaxLength">tokens of the longest cell</param>
/// <param name="Positions">[T] int64: each token's position in its cell (the position embedding's index)</param>
/// <param name="CuSeqLens">[Count+1] int32: where each cell starts and the last ends (variable-length flash attention's <c>cu_seqlens</c>)</param>
/// <param name="PadIndex">[T] int64: each token's slot <c>cell * MaxLength + position</c> in a padded [Count, MaxLength] layout, for attention kernels that need one</param>
/// <param name="KeyMask">[Count, 1, 1, MaxLength] bool, true = a real token, for that padded layout</param>
public sealed record PackedCells(int Count, int MaxLength, Tensor Positions, Tensor CuSeqLens, Tensor PadIndex, Tensor KeyMask)
{
    /// <summary>The layout's host arrays (see the record's parameters), for callers that move them to the device themselves.</summary>
    /// <param name="lengths">each cell's token count, in the order the cells lie in the packed sequence (cells with no token take no place)</param>
    public static (int Count, int MaxLength, long[] Positions, int[] CuSeqLens, long[] PadIndex, bool[] KeyMask) HostLayout(IReadOnlyList<int> lengths)
    {
        var cells = lengths.Where(l => l > 0).ToArray();
        if (cells.Length == 0) throw new ArgumentException("a packed micro batch needs at least one cell with a token");
        var maxLength = cells.Max();
        var total = cells.Sum();
        var positions = new long[total];
        var padIndex = new long[total];
        var cu = new int[cells.Length + 1];
        var keyMask = new bool[cells.Length * maxLength];
        var t = 0;
        for (var c = 0; c < cells.Length; c++)
        {
            for (var i = 0; i < cells[c]; i++, t++)
            {
                positions[t] = i;
                padIndex[t] = (long)c * maxLength + i;
                keyMask[c * maxLength + i] = true;
            }
            cu[c + 1] = t;
        }
        return (cells.Length, maxLength, positions, cu, padIndex, keyMask);
    }

    /// <param name="lengths">each cell's token count, in the order the cells lie in the packed sequence (cells with no token take no place)</param>
    public static PackedCells Of(IReadOnlyList<int> lengths, Device device)
    {
        var (count, maxLength, positions, cu, padIndex, keyMask) = HostLayout(lengths);
        return new PackedCells(count, maxLength, tensor(positions).to(device), tensor(cu).to(device), tensor(padIndex).to(device),
            tensor(keyMask, [count, 1, 1, maxLength]).to(device));
    }

    public long Tokens => Positions.shape[0];
}
