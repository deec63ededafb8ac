using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

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
