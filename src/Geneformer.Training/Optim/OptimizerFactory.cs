using Geneformer.Model.Bert;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training.Optim;

/// <summary>AdamW with weight decay on weight matrices and embeddings only (none on biases and LayerNorm), as in BERT; fused (<see cref="Fused.AdamW"/>) unless the config says otherwise.</summary>
public static class OptimizerFactory
{
    public static bool DecaysWeight(string parameterName) =>
        !(parameterName.EndsWith("bias", StringComparison.Ordinal) || parameterName.Contains("LayerNorm", StringComparison.Ordinal));

    /// <summary>
    /// The optimizer's two parameter groups, decayed first, each in the model's parameter order: the groups and order
    /// of Hugging Face's Trainer for <c>BertForMaskedLM</c>, which a PyTorch optimizer state's indices follow.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(string Name, Parameter Parameter)>> Groups(BertForMaskedLM model)
    {
        var named = model.named_parameters().ToList();
        return [named.Where(p => DecaysWeight(p.name)).ToList(), named.Where(p => !DecaysWeight(p.name)).ToList()];
    }

    public static AdamW Create(BertForMaskedLM model, TrainingConfig c)
    {
        var groups = Groups(model);
        var paramGroups = new[]
        {
            new AdamW.ParamGroup(groups[0].Select(p => p.Parameter), new AdamW.Options { LearningRate = c.LearningRate, weight_decay = WeightDecayOf(0, c) }),
            new AdamW.ParamGroup(groups[1].Select(p => p.Parameter), new AdamW.Options { LearningRate = c.LearningRate, weight_decay = WeightDecayOf(1, c) }),
        };
        return c.FusedAdamW
            ? Fused.AdamW.Create(paramGroups, c.LearningRate, c.Beta1, c.Beta2, c.AdamEps, c.WeightDecay)
            : optim.AdamW(paramGroups, lr: c.LearningRate, beta1: c.Beta1, beta2: c.Beta2, eps: c.AdamEps, weight_decay: c.WeightDecay);
    }

    /// <summary>The weight decay of group <paramref name="group"/> of <see cref="Groups"/>.</summary>
    public static double WeightDecayOf(int group, TrainingConfig c) => group == 0 ? c.WeightDecay : 0.0;

    public static void SetLearningRate(AdamW optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }
}
