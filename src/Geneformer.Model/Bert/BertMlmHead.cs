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

/// <summary>
/// Hugging Face <c>BertLMPredictionHead</c>: transform, then a decoder whose weight is tied to the word
/// embeddings (so it is not a parameter of its own) plus the bias <c>cls.predictions.bias</c>.
/// </summary>
public sealed class BertLMPredictionHead : nn.Module
{
    private readonly BertPredictionHeadTransform transform;
    private readonly Parameter bias;
    private readonly ComputePrecision precision;

    public BertLMPredictionHead(BertConfig config, ComputePrecision precision) : base(nameof(BertLMPredictionHead))
    {
        transform = new BertPredictionHeadTransform(config, precision);
        bias = nn.Parameter(zeros(config.VocabSize));
        this.precision = precision;
        RegisterComponents();
    }

    public Parameter Bias => bias;

    /// <param name="hidden">[N, H] hidden states of the positions to predict</param>
    /// <returns>[N, V] fp32 logits</returns>
    public Tensor Forward(Tensor hidden, Tensor wordEmbeddings)
    {
        using var scope = NewDisposeScope();
        var logits = precision.Linear(transform.Forward(hidden), wordEmbeddings, bias);
        return scope.MoveToOuter(logits.to(ScalarType.Float32));
    }
}

/// <summary>Hugging Face <c>BertOnlyMLMHead</c> (<c>cls.predictions</c>).</summary>
public sealed class BertOnlyMlmHead : nn.Module
{
    private readonly BertLMPredictionHead predictions;

    public BertOnlyMlmHead(BertConfig config, ComputePrecision precision) : base(nameof(BertOnlyMlmHead))
    {
        predictions = new BertLMPredictionHead(config, precision);
        RegisterComponents();
    }

    public Parameter Bias => predictions.Bias;

    public Tensor Forward(Tensor hidden, Tensor wordEmbeddings) => predictions.Forward(hidden, wordEmbeddings);
}
