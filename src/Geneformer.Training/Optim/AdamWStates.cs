using Geneformer.Model.Bert;
using TorchSharp.Modules;

namespace Geneformer.Training.Optim;

/// <summary>The live per-parameter state (step count and moments) of an AdamW made by <see cref="OptimizerFactory.Create"/>, by parameter name.</summary>
internal static class AdamWStates
{
    public static Dictionary<string, AdamW.State> Of(AdamW optimizer, BertForMaskedLM model)
    {
        var dict = optimizer.state_dict();
        var groups = OptimizerFactory.Groups(model);
        var states = new Dictionary<string, AdamW.State>();
        for (var g = 0; g < groups.Count; g++)
            for (var j = 0; j < groups[g].Count; j++) states[groups[g][j].Name] = (AdamW.State)dict.State[dict.StateIndexRef[g][j]];
        return states;
    }
}
