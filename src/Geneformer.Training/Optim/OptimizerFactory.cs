using Geneformer.Model.Bert;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training.Optim;

/// <summary>AdamW with weight decay on weight matrices and embeddings only (none on biases and LayerNorm), as in BERT; fused (<see cref="Fused.AdamW"/>) unless the config says otherwise.</summary>
public static class OptimizerFactory
{
    public static bool DecaysWeight(string parameterName) =>
        !(parameterName.EndsWith("bias", StringComparison.Ordinal) || parameterName.Contains("LayerNorm", StringComparison.Ordinal));

    public static AdamW Create(BertForMaskedLM model, TrainingConfig c)
    {
        var named = model.named_parameters().ToList();
        var groups = new[]
        {
            new AdamW.ParamGroup(named.Where(p => DecaysWeight(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = c.LearningRate, weight_decay = c.WeightDecay }),
            new AdamW.ParamGroup(named.Where(p => !DecaysWeight(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = c.LearningRate, weight_decay = 0.0 }),
        };
        return c.FusedAdamW
            ? Fused.AdamW.Create(groups, c.LearningRate, c.Beta1, c.Beta2, c.AdamEps, c.WeightDecay)
            : optim.AdamW(groups, lr: c.LearningRate, beta1: c.Beta1, beta2: c.Beta2, eps: c.AdamEps, weight_decay: c.WeightDecay);
    }

    public static void SetLearningRate(AdamW optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }
}
