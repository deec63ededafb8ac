using Geneformer.Data.Loading;
using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Training;

/// <summary>
/// Moves a step's micro batches to the device in one copy: every index array of the step is laid out in one int64 host
/// buffer, copied once, and each tensor is a view of the copy (converted to bool or int32 on the device where needed).
/// On CUDA the buffer is pinned and the copy non-blocking, so the host never waits for the GPU to drain its queue before
/// a copy (a copy from pageable memory does). The pinned buffer is reused step after step; the trainer synchronises
/// with the device at the end of every step, so the previous step's copy has finished before the buffer is rewritten.
/// </summary>
public sealed class StepUpload(Device device) : IDisposable
{
    private Tensor? pinned;

    public IReadOnlyList<DeviceMicroBatch> Upload(IReadOnlyList<MicroBatch> batches)
    {
        var parts = new List<long[]>();
        var layouts = new List<(int Count, int MaxLength)?>();
        foreach (var m in batches)
        {
            parts.Add(m.InputIds);
            parts.Add(m.MaskedPositions);
            parts.Add(m.Labels);
            if (m.Packed)
            {
                var (count, maxLength, positions, cu, padIndex, keyMask) = PackedCells.HostLayout(m.Lengths);
                parts.AddRange([positions, [.. cu.Select(c => (long)c)], padIndex, [.. keyMask.Select(k => k ? 1L : 0L)]]);
                layouts.Add((count, maxLength));
            }
            else
            {
                if (m.Padded) parts.Add([.. m.AttentionMask.Select(a => a ? 1L : 0L)]);
                layouts.Add(null);
            }
        }
        var all = new long[Math.Max(1, parts.Sum(p => p.Length))];
        long offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(all, offset);
            offset += p.Length;
        }
        var onDevice = device.type == DeviceType.CUDA ? Pinned(all).to(device, non_blocking: true) : tensor(all);

        var result = new List<DeviceMicroBatch>(batches.Count);
        var next = 0;
        offset = 0;
        Tensor Take()
        {
            var length = parts[next++].Length;
            var view = onDevice.narrow(0, offset, length);
            offset += length;
            return view;
        }
        for (var b = 0; b < batches.Count; b++)
        {
            var m = batches[b];
            var ids = Take();
            var (masked, labels) = (Take(), Take());
            if (layouts[b] is { } layout)
            {
                var cells = new PackedCells(layout.Count, layout.MaxLength, Take(), Take().to(ScalarType.Int32), Take(),
                    Take().to(ScalarType.Bool).view(layout.Count, 1, 1, layout.MaxLength));
                result.Add(new DeviceMicroBatch(ids, masked, labels, null, cells));
            }
            else
            {
                var mask = m.Padded ? Take().to(ScalarType.Bool).view(m.Batch, m.SeqLen) : null;
                result.Add(new DeviceMicroBatch(ids.view(m.Batch, m.SeqLen), masked, labels, mask, null));
            }
        }
        return result;
    }

    /// <summary><paramref name="values"/> in the pinned buffer, grown (doubling) when too small.</summary>
    private Tensor Pinned(long[] values)
    {
        if (pinned is null || pinned.shape[0] < values.Length)
        {
            var size = Math.Max(values.Length, 2 * (pinned?.shape[0] ?? 0));
            pinned?.Dispose();
            using (NewDisposeScope()) // outlives the step: disposed when replaced or in Dispose
                pinned = empty(size, ScalarType.Int64).pin_memory().DetachFromDisposeScope();
        }
        var slice = pinned.narrow(0, 0, values.Length);
        slice.copy_(tensor(values));
        return slice;
    }

    public void Dispose() => pinned?.Dispose();
}
