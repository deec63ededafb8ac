using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>
/// Maps a state dict written by Hugging Face (or by us) onto <see cref="BertForMaskedLM"/>, and refuses,
/// naming each tensor, anything it cannot map: unknown names, wrong shapes, missing parameters.
/// </summary>
public static class WeightMapping
{
    /// <summary>Tensors a Hugging Face BERT checkpoint may carry that an MLM model does not use.</summary>
    private static bool IsIgnorable(string name) =>
        name.EndsWith("embeddings.position_ids", StringComparison.Ordinal)   // a buffer, not a weight
        || name.StartsWith("bert.pooler.", StringComparison.Ordinal)          // next-sentence pooler
        || name.StartsWith("cls.seq_relationship.", StringComparison.Ordinal) // next-sentence head
        || name == "cls.predictions.decoder.weight";                        // tied to the word embeddings

    /// <summary>Our parameter name for a checkpoint tensor name (null = ignore).</summary>
    public static string? MapName(string name)
    {
        if (IsIgnorable(name)) return null;
        if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal))
            name = "bert." + name; // a bare BertModel checkpoint
        if (IsIgnorable(name)) return null;
        if (name == "cls.predictions.decoder.bias") name = "cls.predictions.bias";
        // Checkpoints converted from TensorFlow use gamma/beta for LayerNorm.
        if (name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) name = name[..^"gamma".Length] + "weight";
        if (name.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) name = name[..^"beta".Length] + "bias";
        return name;
    }

    public static void CopyInto(BertForMaskedLM model, IReadOnlyDictionary<string, Tensor> state, string source)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var errors = new List<string>();
        var assigned = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var target = MapName(name);
            if (target is null) continue;
            if (!parameters.TryGetValue(target, out var p))
            {
                errors.Add($"'{name}' has no counterpart in the model");
                continue;
            }
            if (!p.shape.SequenceEqual(tensor.shape))
            {
                errors.Add($"'{name}' has shape [{string.Join(", ", tensor.shape)}]; the model expects [{string.Join(", ", p.shape)}]");
                continue;
            }
            if (name == "cls.predictions.decoder.bias" && state.ContainsKey("cls.predictions.bias")) continue; // the same tensor, saved twice
            assigned[target] = tensor;
        }
        foreach (var missing in parameters.Keys.Where(k => !assigned.ContainsKey(k)).Order(StringComparer.Ordinal))
            errors.Add($"'{missing}' is missing");
        if (errors.Count > 0)
            throw new InvalidDataException($"{source}: cannot load these weights into a {model.Config.NumLayers}-layer, {model.Config.HiddenSize}-hidden BERT:\n  " + string.Join("\n  ", errors));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the converted copies are freed here, not by a finalizer during a native call
        foreach (var (name, tensor) in assigned)
        {
            var p = parameters[name];
            p.copy_(tensor.to(p.dtype).to(p.device));
        }
    }
}
