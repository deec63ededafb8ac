using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Hugging Face <c>BertPredictionHeadTransform</c>: dense + activation + LayerNorm.</summary>
public sealed class BertPredictionHeadTransform : nn.Module
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly bool gelu;
    private readonly double eps;
    private readonly ComputePrecision precision;

    public BertPredictionHeadTransform(BertConfig config, ComputePrecision precision) : base(nameof(BertPredictionHeadTransform))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        gelu = config.HiddenAct == "gelu";
        eps = config.LayerNormEps;
        this.precision = precision;
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = precision.Linear(hidden, dense.weight!, dense.bias);
        x = gelu ? nn.functional.gelu(x) : nn.functional.relu(x);
        return scope.MoveToOuter(precision.LayerNorm(x, LayerNorm, eps));
    }
}
