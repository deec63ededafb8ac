using System.Diagnostics;
using Geneformer.Model;
using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

torch.set_num_threads(int.Parse(args[0]));
var baseConfig = ModelConfigs.Resolve("geneformer-10m");
int B = 8, S = 512, masked = 77;
var gen = new Generator(1);

void Time(string name, BertConfig config, bool train, bool head, bool backward, int reps = 3, ComputePrecision? precision = null)
{
    using var model = new BertForMaskedLM(config, precision);
    if (train) model.train(); else model.eval();
    double f = 0, b = 0;
    for (var r = -1; r < reps; r++)
    {
        using var scope = NewDisposeScope();
        var ids = randint(2, config.VocabSize, [B, S], dtype: ScalarType.Int64, generator: gen);
        var mask = ones([B, S], dtype: ScalarType.Bool);
        var pos = randperm(B * S, generator: gen)[..(B * masked)];
        var labels = ids.reshape(-1).index_select(0, pos);
        var c = Stopwatch.StartNew();
        Tensor loss;
        using (var g = backward ? null : inference_mode())
        {
            var o = model.Forward(ids, mask, head ? pos : null);
            loss = head ? nn.functional.cross_entropy(o.Logits!, labels) : o.LastHidden.mean();
        }
        var t1 = c.Elapsed.TotalSeconds;
        if (backward) loss.backward();
        var t2 = c.Elapsed.TotalSeconds;
        if (r >= 0) { f += t1; b += t2 - t1; }
        model.zero_grad();
    }
    Console.WriteLine($"{name,-50} forward {f / reps:0.000}s  backward {b / reps:0.000}s");
}

var which = args.Length > 1 ? args[1] : "all";
if (which is "all" or "dropout")
{
    Time("train, dropout as configured, head", baseConfig, true, true, true);
    Time("train, attention dropout 0, head", baseConfig with { AttentionDropout = 0 }, true, true, true);
    Time("train, dropout as configured, head (again)", baseConfig, true, true, true);
    Time("train, attention dropout 0, head (again)", baseConfig with { AttentionDropout = 0 }, true, true, true);
}
if (which is "all" or "bf16")
{
    Time("eval fp32", baseConfig, false, false, false);
    Time("eval bf16", baseConfig, false, false, false, precision: ComputePrecision.Bf16);
    Time("train fp32", baseConfig, true, true, true);
    Time("train bf16", baseConfig, true, true, true, precision: ComputePrecision.Bf16);
    Time("eval fp32 (again)", baseConfig, false, false, false);
    Time("eval bf16 (again)", baseConfig, false, false, false, precision: ComputePrecision.Bf16);
}
