using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>Dense projection, dropout, residual add, post-LayerNorm (Hugging Face <c>BertSelfOutput</c> and <c>BertOutput</c>).</summary>
public sealed class BertResidualOutput : nn.Module
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly double eps;
    private readonly ComputePrecision precision;

    public BertResidualOutput(int inFeatures, BertConfig config, ComputePrecision precision) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inFeatures, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        eps = config.LayerNormEps;
        this.precision = precision;
        RegisterComponents();
    }

    public Tensor Forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var x = dropout.forward(precision.Linear(input, dense.weight!, dense.bias));
        return scope.MoveToOuter(precision.LayerNorm(x + residual, LayerNorm, eps));
    }
}
