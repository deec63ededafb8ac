using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Hugging Face <c>BertAttention</c>: <c>self</c> then <c>output</c>.</summary>
public sealed class BertAttention : nn.Module
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(BertConfig config, ComputePrecision precision) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config, precision);
        output = new BertResidualOutput(config.HiddenSize, config, precision);
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, Tensor? keyMask, PackedCells? packed)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(output.Forward(self.Forward(hidden, keyMask, packed), hidden));
    }
}
