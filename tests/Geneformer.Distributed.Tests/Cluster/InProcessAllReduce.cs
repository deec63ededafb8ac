namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>Sum over in-process ranks, like the trainer's small all-reduce (a broken barrier on abort surfaces as cancellation).</summary>
internal sealed class InProcessAllReduce
{
    private readonly double[][] slots;
    private readonly Barrier barrier;
    private double[] result = [];

    public InProcessAllReduce(int world)
    {
        slots = new double[world][];
        barrier = new Barrier(world, _ => result = Enumerable.Range(0, slots[0].Length).Select(i => slots.Sum(s => s[i])).ToArray());
    }

    public double[] Sum(int rank, double[] mine, CancellationToken abort)
    {
        slots[rank] = mine;
        barrier.SignalAndWait(abort);
        return result;
    }
}
