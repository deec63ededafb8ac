using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Hugging Face <c>BertIntermediate</c>: dense + activation.</summary>
public sealed class BertIntermediate : nn.Module
{
    private readonly Linear dense;
    private readonly bool gelu;
    private readonly ComputePrecision precision;

    public BertIntermediate(BertConfig config, ComputePrecision precision) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        gelu = config.HiddenAct == "gelu";
        this.precision = precision;
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = precision.Linear(hidden, dense.weight!, dense.bias);
        return scope.MoveToOuter(gelu ? nn.functional.gelu(x) : nn.functional.relu(x));
    }
}
