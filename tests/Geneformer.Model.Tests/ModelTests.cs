using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

[Collection(nameof(GlobalTorchRng))]
public class ModelTests
{
    private static BertConfig Preset(string name) => BertConfig.Load(Path.Combine(TestSupport.RepoPaths.Root, "cluster-configs", "models", name + ".json"));

    [Fact]
    public void Geneformer_10m_has_10_3_million_parameters()
    {
        using var model = new BertForMaskedLM(Preset("geneformer-10m"));
        Assert.Equal(10_288_981, model.ParameterCount());
    }

    [Fact]
    public void Geneformer_106m_has_about_106_million_parameters()
    {
        using var model = new BertForMaskedLM(Preset("geneformer-106m"));
        Assert.InRange(model.ParameterCount(), 105_500_000, 107_000_000);
    }

    [Fact]
    public void Logits_come_only_for_the_selected_positions()
    {
        using var model = TestModels.Random(TestModels.Small());
        var (ids, mask) = TestModels.PaddedBatch(50);
        using var noGrad = no_grad();
        var output = model.Forward(ids, mask, tensor(new long[] { 1, 2, 17 }), outputAllHidden: true);
        Assert.Equal(new long[] { 3, 50 }, output.Logits!.shape);
        Assert.Equal(new long[] { 3, 16, 32 }, output.LastHidden.shape);
        Assert.Equal(3, output.AllHidden!.Length); // embeddings + 2 layers
        Assert.Null(model.Forward(ids, mask).Logits);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void A_batch_without_padding_computes_the_same_with_no_mask_as_with_an_all_true_one(string precisionName)
    {
        var precision = ComputePrecision.Parse(precisionName);
        using var model = TestModels.Random(TestModels.Small(), precision: precision);
        var ids = randint(2, 50, [3, 16], dtype: ScalarType.Int64, generator: new Generator(9));
        using var allTrue = ones([3, 16], dtype: ScalarType.Bool);
        using var positions = tensor(new long[] { 0, 5, 17, 30, 47 });
        var masked = model.Forward(ids, allTrue, positions);
        var unmasked = model.Forward(ids, null, positions);
        var tolerance = precisionName == "fp32" ? 1e-5 : 2e-2;
        Assert.True((masked.LastHidden - unmasked.LastHidden).abs().max().to(ScalarType.Float32).item<float>() <= tolerance);
        Assert.True((masked.Logits! - unmasked.Logits!).abs().max().to(ScalarType.Float32).item<float>() <= tolerance);
    }

    [Fact]
    public void A_cells_hidden_states_do_not_depend_on_how_much_padding_follows_it()
    {
        using var model = TestModels.Random(TestModels.Small());
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 5, 9, 3, 7 }, [1, 4]);
        var alone = model.Forward(ids, ones_like(ids)).LastHidden;
        var padded = cat([ids, zeros([1, 6], dtype: ScalarType.Int64)], 1);
        var paddedMask = cat([ones_like(ids), zeros([1, 6], dtype: ScalarType.Int64)], 1);
        var inBatch = model.Forward(padded, paddedMask).LastHidden[.., ..4];
        Assert.True(alone.allclose(inBatch, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Bf16_compute_stays_close_to_fp32_and_gradients_reach_fp32_master_weights()
    {
        var config = TestModels.Small();
        using var fp32 = TestModels.Random(config, seed: 3);
        using var bf16 = TestModels.Random(config, seed: 3, ComputePrecision.Bf16);
        var (ids, mask) = TestModels.PaddedBatch(50);
        var positions = tensor(new long[] { 0, 1, 2, 3 });
        var a = fp32.Forward(ids, mask, positions).Logits!;
        var b = bf16.Forward(ids, mask, positions).Logits!;
        Assert.Equal(ScalarType.Float32, b.dtype);
        var scale = a.abs().max().item<float>();
        Assert.True((a - b).abs().max().item<float>() < 0.05 * scale);
        b.sum().backward();
        foreach (var (name, p) in bf16.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.NotNull(p.grad);
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
        }
    }

    [Fact]
    public void Training_mode_applies_dropout_and_eval_mode_is_deterministic()
    {
        using var model = TestModels.Random(TestModels.Small() with { HiddenDropout = 0.3 });
        var (ids, mask) = TestModels.PaddedBatch(50);
        using var noGrad = no_grad();
        var e1 = model.Forward(ids, mask).LastHidden;
        var e2 = model.Forward(ids, mask).LastHidden;
        Assert.True(e1.allclose(e2, rtol: 0, atol: 0));
        model.train();
        var t1 = model.Forward(ids, mask).LastHidden;
        Assert.False(t1.allclose(e1));
    }

    [Fact]
    public void Invalid_configs_are_refused_with_the_field_named()
    {
        var e = Assert.Throws<InvalidDataException>(() => new BertForMaskedLM(TestModels.Small() with { NumHeads = 5 }));
        Assert.Contains("num_attention_heads", e.Message);
        var j = Assert.Throws<InvalidDataException>(() => BertConfig.FromJson("{\"hidden_act\": \"tanh\"}", "x.json"));
        Assert.Contains("hidden_act", j.Message);
        Assert.Contains("x.json", j.Message);
    }

    [Fact]
    public void Flops_per_token_count_every_matrix_product()
    {
        var c = Preset("geneformer-10m");
        // 6 layers x (8h^2 + 4Sh + 4hf) + 0.15 x (2h^2 + 2hV)
        double h = 256, f = 512, s = 2048, v = 25_429;
        var expected = 6 * (8 * h * h + 4 * s * h + 4 * h * f) + 0.15 * (2 * h * h + 2 * h * v);
        Assert.Equal(expected, ModelFlops.ForwardPerToken(c, 2048, 0.15), 6);
        Assert.Equal(3 * expected, ModelFlops.TrainingPerToken(c, 2048, 0.15), 6);
    }
}
