using System.Diagnostics;
using Geneformer.Model;
using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

torch.set_num_threads(int.Parse(args[0]));
var baseConfig = ModelConfigs.Resolve("geneformer-10m");
int B = 8, S = 512, masked = 77;
var gen = new Generator(1);

void Time(string name, BertConfig config, bool train, bool head, bool backward, int reps = 3, ComputePrecision? precision = null, bool noGradInsteadOfInference = false)
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
        using (IDisposable? g = backward ? null : noGradInsteadOfInference ? no_grad() : inference_mode())
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

if (which is "inference")
{
    for (var i = 0; i < 3; i++)
    {
        Time("eval no_grad", baseConfig, false, false, false, reps: 5, noGradInsteadOfInference: true);
        Time("eval inference_mode", baseConfig, false, false, false, reps: 5);
    }
}
if (which is "attention")
{
    // 6 layers' worth of attention at [8, 4, 512, 64], training (dropout 0.1), forward + backward.
    long b = 8, h = 4, s = 512, d = 64;
    var keyMask = ones([b, 1, 1, s], dtype: ScalarType.Bool);
    var bias = zeros([b, 1, 1, s]).masked_fill(keyMask.logical_not(), float.MinValue);
    double Run(Func<Tensor, Tensor, Tensor, Tensor> attend)
    {
        var best = double.MaxValue;
        for (var rep = 0; rep < 4; rep++)
        {
            using var scope = NewDisposeScope();
            var qs = Enumerable.Range(0, 6).Select(_ => randn([b, h, s, d], generator: gen).requires_grad_()).ToArray();
            var c = Stopwatch.StartNew();
            var total = qs.Select(q => attend(q, q * 0.5, q * 0.25).sum()).Aggregate((x, y) => x + y);
            total.backward();
            if (rep > 0) best = Math.Min(best, c.Elapsed.TotalSeconds);
        }
        return best;
    }
    for (var i = 0; i < 2; i++)
    {
        Console.WriteLine($"sdpa (math path, dropout 0.1)      {Run((q, k, v) => nn.functional.scaled_dot_product_attention(q, k, v, keyMask, 0.1, false)):0.000}s");
        Console.WriteLine($"manual matmul+add+softmax+dropout  {Run((q, k, v) =>
        {
            var scores = matmul(q, k.transpose(-1, -2)) / Math.Sqrt(d) + bias;
            var probs = nn.functional.dropout(nn.functional.softmax(scores, -1), 0.1, true);
            return matmul(probs, v);
        }):0.000}s");
        Console.WriteLine($"sdpa (flash, no dropout)           {Run((q, k, v) => nn.functional.scaled_dot_product_attention(q, k, v, keyMask, 0.0, false)):0.000}s");
    }
}
if (which is "ops")
{
    double Best(Action a, int reps = 5)
    {
        var best = double.MaxValue;
        for (var r = 0; r < reps; r++)
        {
            using var scope = NewDisposeScope();
            var c = Stopwatch.StartNew();
            a();
            best = Math.Min(best, c.Elapsed.TotalSeconds);
        }
        return best;
    }
    foreach (var dt in new[] { ScalarType.Float32, ScalarType.BFloat16 })
    {
        var x = randn([4096, 256], generator: gen).to(dt).requires_grad_();
        var w = randn([512, 256], generator: gen).to(dt).requires_grad_();
        var bia = randn([512], generator: gen).to(dt).requires_grad_();
        Console.WriteLine($"{dt} linear 4096x256x512 fwd      {Best(() => { for (var i = 0; i < 10; i++) nn.functional.linear(x, w, bia); }) / 10 * 1e3:0.00} ms");
        Console.WriteLine($"{dt} linear fwd+bwd               {Best(() => { for (var i = 0; i < 10; i++) nn.functional.linear(x, w, bia).sum().backward(); }) / 10 * 1e3:0.00} ms");
        var q = randn([8, 4, 512, 64], generator: gen).to(dt).requires_grad_();
        var km = ones([8, 1, 1, 512], dtype: ScalarType.Bool);
        Console.WriteLine($"{dt} sdpa dropout fwd             {Best(() => nn.functional.scaled_dot_product_attention(q, q, q, km, 0.1, false)) * 1e3:0.00} ms");
        Console.WriteLine($"{dt} sdpa dropout fwd+bwd         {Best(() => nn.functional.scaled_dot_product_attention(q, q, q, km, 0.1, false).sum().backward()) * 1e3:0.00} ms");
        Console.WriteLine($"{dt} sdpa eval fwd                {Best(() => { using var g = inference_mode(); nn.functional.scaled_dot_product_attention(q, q, q, km, 0.0, false); }) * 1e3:0.00} ms");
        var s = randn([8, 4, 512, 512], generator: gen).to(dt);
        Console.WriteLine($"{dt} softmax [8,4,512,512]        {Best(() => nn.functional.softmax(s, -1)) * 1e3:0.00} ms");
        Console.WriteLine($"{dt} dropout [8,4,512,512]        {Best(() => nn.functional.dropout(s, 0.1, true)) * 1e3:0.00} ms");
        var e = randn([25429, 256], generator: gen);
        Console.WriteLine($"{dt} cast embedding to {dt}       {Best(() => e.to(dt)) * 1e3:0.00} ms");
    }
}
if (which is "rng")
{
    double Best(Action a, int reps = 5)
    {
        var best = double.MaxValue;
        for (var r = 0; r < reps; r++)
        {
            using var scope = NewDisposeScope();
            var c = Stopwatch.StartNew();
            a();
            best = Math.Min(best, c.Elapsed.TotalSeconds);
        }
        return best;
    }
    var s = randn([8, 4, 512, 512], generator: gen);
    Console.WriteLine($"dropout                 {Best(() => nn.functional.dropout(s, 0.1, true)) * 1e3:0.00} ms");
    Console.WriteLine($"bernoulli_(0.9)         {Best(() => empty_like(s).bernoulli_(0.9)) * 1e3:0.00} ms");
    Console.WriteLine($"rand_like               {Best(() => rand_like(s)) * 1e3:0.00} ms");
    Console.WriteLine($"rand_like < 0.9         {Best(() => rand_like(s).lt(0.9)) * 1e3:0.00} ms");
    Console.WriteLine($"rand < 0.9 then mul/0.9 {Best(() => s.mul(rand_like(s).lt(0.9)).mul(1 / 0.9)) * 1e3:0.00} ms");
    Console.WriteLine($"randint bytes           {Best(() => randint_like(s.to(ScalarType.Byte), 0, 256)) * 1e3:0.00} ms");
    Console.WriteLine($"softmax                 {Best(() => nn.functional.softmax(s, -1)) * 1e3:0.00} ms");
}
