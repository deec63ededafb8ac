using Geneformer.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Training;

/// <summary>
/// Seeds dropout for one micro batch from (seed, step, chunk), where the chunk is the micro batch's index among all of
/// its step's micro batches over every rank. The rank plays no part, so 1 and N ranks draw the same masks for the same
/// cells (they compute the same function), and a run resumed at another world size continues the same trajectory.
/// </summary>
public static class DropoutSeeds
{
    public static long Of(long seed, long step, long chunk) => (long)(new CounterRng(seed, step, chunk).NextUInt64() >> 1);

    /// <summary>Seeds the generators dropout draws from on <paramref name="device"/>.</summary>
    public static void Apply(long seed, long step, long chunk, Device device)
    {
        var value = Of(seed, step, chunk);
        manual_seed(value);
        // TorchSharp's manual_seed seeds only the CPU generator in some versions; CUDA dropout draws from the device's own.
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(value);
    }
}
