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

/// <summary>One post-LN encoder layer (Hugging Face <c>BertLayer</c>).</summary>
public sealed class BertLayer : nn.Module
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config, ComputePrecision precision) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, precision);
        intermediate = new BertIntermediate(config, precision);
        output = new BertResidualOutput(config.IntermediateSize, config, precision);
        RegisterComponents();
    }

    /// <param name="hidden">[B, S, H] padded cells, or [T, H] packed ones (then <paramref name="packed"/> says where they lie)</param>
    public Tensor Forward(Tensor hidden, Tensor? keyMask, PackedCells? packed = null)
    {
        using var scope = NewDisposeScope();
        var attended = attention.Forward(hidden, keyMask, packed);
        return scope.MoveToOuter(output.Forward(intermediate.Forward(attended), attended));
    }
}
