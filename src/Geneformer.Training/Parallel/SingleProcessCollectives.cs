using static TorchSharp.torch;

namespace Geneformer.Training.Parallel;

/// <summary>One process, world size 1: every collective is the identity.</summary>
public sealed class SingleProcessCollectives : ICollectives
{
    public string Backend => "none";
    public int Rank => 0;
    public int WorldSize => 1;
    public void AllReduceSum(Tensor tensor) { }
    public void AllReduceSum(double[] values) { }
    public void Broadcast(Tensor tensor, int root) { }
    public void Barrier() { }
    public void Abandon() { }
    public void Dispose() { }
}
