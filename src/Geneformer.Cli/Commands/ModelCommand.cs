using System.CommandLine;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Model.Bert;
using Geneformer.Model;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer model info --model NAME</c>: parameter count and FLOPs per token of a preset or config file.</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--model") { Description = "Model preset name (cluster-configs/models/NAME.json: geneformer-10m, geneformer-106m, tiny) or a config.json path", Required = true };
        var seqLen = new Option<int?>("--seq-len") { Description = "Sequence length for the FLOPs figures (default: the model's max_position_embeddings)" };
        var mlm = new Option<double>("--mlm-fraction") { Description = "Fraction of tokens the MLM head runs on in training", DefaultValueFactory = _ => 0.15 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var info = new Command("info", "Print the parameter count and the FLOPs per token of a model") { config, seqLen, mlm, json };
        RenamedOption.Refuse(info, "--config", config);
        info.SetAction(r =>
        {
            var name = r.GetValue(config)!;
            var c = ModelConfigs.Resolve(name);
            using var model = new BertForMaskedLM(c);
            var s = r.GetValue(seqLen) ?? c.MaxPositions;
            var f = r.GetValue(mlm);
            var parameters = model.ParameterCount();
            var forward = ModelFlops.ForwardPerToken(c, s, f);
            var training = ModelFlops.TrainingPerToken(c, s, f);
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    model = name, layers = c.NumLayers, hidden = c.HiddenSize, heads = c.NumHeads, ffn = c.IntermediateSize,
                    vocab = c.VocabSize, max_positions = c.MaxPositions, parameters, seq_len = s, mlm_fraction = f,
                    forward_flops_per_token = forward, training_flops_per_token = training,
                }));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"model {name}: {c.NumLayers} layers, hidden {c.HiddenSize}, {c.NumHeads} heads, FFN {c.IntermediateSize}, vocabulary {c.VocabSize:N0}, positions {c.MaxPositions:N0}, {c.HiddenAct}");
            Console.WriteLine($"parameters: {parameters:N0} ({Units.Si(parameters)})");
            Console.WriteLine($"FLOPs per token at sequence length {s:N0}, MLM head on {f * 100:0.#}% of tokens: forward {Units.Si(forward)}FLOP, training (forward+backward) {Units.Si(training)}FLOP");
            return ExitCodes.Ok;
        });
        var model = new Command("model", "Inspect model configurations") { info };
        return model;
    }
}
