using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

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
