using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

[Collection(nameof(GlobalTorchRng))]
public class WrittenOutAttentionTests
{
    /// <summary>q, k, v of [2 cells, 4 heads, 12 tokens, 8], the second cell with 5 real tokens and 7 padding.</summary>
    private static (Tensor Q, Tensor K, Tensor V, Tensor KeyMask) Inputs(ScalarType dtype)
    {
        var g = new Generator(11);
        Tensor R() => randn([2, 4, 12, 8], generator: g).to(dtype);
        var mask = ones([2, 1, 1, 12], dtype: ScalarType.Bool);
        mask[1, TensorIndex.Ellipsis, TensorIndex.Slice(5)] = false;
        return (R(), R(), R(), mask);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.BFloat16, 3e-2)]
    public void Without_dropout_it_computes_what_sdpa_computes(ScalarType dtype, double tolerance)
    {
        var (q, k, v, mask) = Inputs(dtype);
        var sdpa = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, false).to(ScalarType.Float32);
        var written = WrittenOutAttention.Forward(q, k, v, mask, 0.0);
        Assert.Equal(dtype, written.dtype);
        var error = (written.to(ScalarType.Float32) - sdpa).abs().max().item<float>();
        Assert.True(error <= tolerance * Math.Max(1, sdpa.abs().max().item<float>()), $"max difference {error}");
    }

    [Fact]
    public void Masked_keys_get_no_weight_and_a_cell_with_every_key_masked_stays_finite()
    {
        var (q, k, v, mask) = Inputs(ScalarType.BFloat16);
        var changed = v.clone();
        changed[1, TensorIndex.Colon, TensorIndex.Slice(5), TensorIndex.Colon] = 1000; // values behind masked keys
        var a = WrittenOutAttention.Forward(q, k, v, mask, 0.0);
        var b = WrittenOutAttention.Forward(q, k, changed, mask, 0.0);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        mask[0] = false;
        Assert.True(WrittenOutAttention.Forward(q, k, v, mask, 0.0).isfinite().all().item<bool>());
    }

    [Fact]
    public void Dropout_is_reproducible_from_the_seed_and_drops_weights()
    {
        var (q, k, v, mask) = Inputs(ScalarType.BFloat16);
        Tensor Seeded(long seed)
        {
            manual_seed(seed);
            return WrittenOutAttention.Forward(q, k, v, mask, 0.5);
        }
        Assert.True(Seeded(1).allclose(Seeded(1), rtol: 0, atol: 0));
        Assert.False(Seeded(1).allclose(Seeded(2), rtol: 0, atol: 0));
        Assert.False(Seeded(1).allclose(WrittenOutAttention.Forward(q, k, v, mask, 0.0), rtol: 0, atol: 0));
    }

    [Fact]
    public void It_is_chosen_only_for_bf16_training_with_attention_dropout_on_the_cpu()
    {
        Assert.True(WrittenOutAttention.Preferred(DeviceType.CPU, ScalarType.BFloat16, 0.1));
        Assert.False(WrittenOutAttention.Preferred(DeviceType.CPU, ScalarType.Float32, 0.1));
        Assert.False(WrittenOutAttention.Preferred(DeviceType.CPU, ScalarType.BFloat16, 0.0));
        Assert.False(WrittenOutAttention.Preferred(DeviceType.CUDA, ScalarType.BFloat16, 0.1));
    }

    [Fact]
    public void A_bf16_model_trains_through_it_with_finite_fp32_gradients()
    {
        using var model = TestModels.Random(TestModels.Small(), seed: 3, ComputePrecision.Bf16);
        model.train();
        var (ids, mask) = TestModels.PaddedBatch(50);
        var logits = model.Forward(ids, mask, tensor(new long[] { 0, 1, 17, 33 })).Logits!;
        nn.functional.cross_entropy(logits, tensor(new long[] { 3, 4, 5, 6 })).backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.isfinite().all().item<bool>(), name);
        }
    }
}
