using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Bert;

/// <summary>
/// Geneformer: BERT for masked language modelling over rank-ordered gene tokens, with Hugging Face
/// <c>BertForMaskedLM</c> semantics and parameter names (<c>bert.*</c>, <c>cls.predictions.*</c>).
/// </summary>
public sealed class BertForMaskedLM : nn.Module
{
    private readonly BertModel bert;
    private readonly BertOnlyMlmHead cls;

    public BertConfig Config { get; }
    public ComputePrecision Precision { get; }

    public BertForMaskedLM(BertConfig config, ComputePrecision? precision = null) : base(nameof(BertForMaskedLM))
    {
        config.Validate("model config");
        Config = config;
        Precision = precision ?? ComputePrecision.Fp32;
        bert = new BertModel(config, Precision);
        cls = new BertOnlyMlmHead(config, Precision);
        RegisterComponents();
        InitializeWeights();
    }

    /// <param name="inputIds">[B, S] int64</param>
    /// <param name="attentionMask">[B, S], true/1 = real token; null when no cell of the batch is padded (no mask: SDPA may take its flash kernel)</param>
    /// <param name="maskedPositions">flat indices into B*S of the positions to predict (int64), or null for no logits</param>
    public MaskedLmOutput Forward(Tensor inputIds, Tensor? attentionMask, Tensor? maskedPositions = null, bool outputAllHidden = false)
    {
        using var scope = NewDisposeScope();
        var (last, all) = bert.Forward(inputIds, attentionMask, outputAllHidden);
        Tensor? logits = null;
        if (maskedPositions is not null)
        {
            var selected = last.reshape(-1, Config.HiddenSize).index_select(0, maskedPositions);
            logits = cls.Forward(selected, bert.WordEmbeddingWeight);
        }
        scope.MoveToOuter(last);
        if (all is not null) scope.MoveToOuter(all);
        if (logits is not null) scope.MoveToOuter(logits);
        return new MaskedLmOutput(last, all, logits);
    }

    /// <summary>Forward of packed cells (no padding): the logits at the masked tokens.</summary>
    /// <param name="inputIds">[T] int64 token ids of cells laid end to end</param>
    /// <param name="cells">where each cell lies in <paramref name="inputIds"/></param>
    /// <param name="maskedPositions">indices into T of the tokens to predict (int64)</param>
    /// <returns>[N, V] fp32 logits</returns>
    public Tensor ForwardPacked(Tensor inputIds, PackedCells cells, Tensor maskedPositions)
    {
        using var scope = NewDisposeScope();
        var last = bert.ForwardPacked(inputIds, cells);
        return scope.MoveToOuter(cls.Forward(last.index_select(0, maskedPositions), bert.WordEmbeddingWeight));
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>Sets the MLM output bias (<c>cls.predictions.bias</c>): one value per vocabulary id.</summary>
    public void SetOutputBias(float[] values)
    {
        if (values.Length != Config.VocabSize)
            throw new ArgumentException($"output bias has {values.Length} values; the model's vocab_size is {Config.VocabSize}");
        using var noGrad = no_grad();
        using var source = tensor(values);
        cls.Bias.copy_(source);
    }

    /// <summary>Hugging Face BERT initialisation: normal(0, initializer_range) weights, zero biases, unit LayerNorm, zero padding row.</summary>
    public void InitializeWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) nn.init.ones_(p);
            else if (name.EndsWith("bias", StringComparison.Ordinal)) nn.init.zeros_(p);
            else nn.init.normal_(p, 0.0, Config.InitializerRange);
        }
        bert.WordEmbeddingWeight[Config.PadTokenId].zero_();
    }
}
