using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Model.Tests;

[Collection(nameof(GlobalTorchRng))]
public class PackedCellsTests
{
    private static readonly int[] Lengths = [16, 9, 4];

    /// <summary>The padded batch of <see cref="TestModels.PaddedBatch"/> as packed token ids, and the masked positions in both layouts.</summary>
    private static (Tensor PaddedIds, Tensor Mask, Tensor PaddedPositions, Tensor PackedIds, Tensor PackedPositions) Batch()
    {
        var (ids, mask) = TestModels.PaddedBatch(50);
        var flat = ids.reshape(-1);
        var real = cat(Lengths.Select((l, c) => arange(l, dtype: ScalarType.Int64) + c * 16).ToArray());
        // masked: cell 0 positions 0 and 15, cell 1 position 8, cell 2 positions 0 and 3
        var padded = tensor(new long[] { 0, 15, 16 + 8, 32, 32 + 3 });
        var packed = tensor(new long[] { 0, 15, 16 + 8, 25, 25 + 3 });
        return (ids, mask, padded, flat.index_select(0, real), packed);
    }

    /// <summary>
    /// The MLM logits of the padded or packed layout, and every parameter's gradient of their summed squares, for a copy
    /// of <paramref name="weights"/> in <paramref name="precision"/> (copied, so no run depends on the global RNG, which
    /// other test classes may draw from at the same time).
    /// </summary>
    private static (Tensor Logits, Dictionary<string, Tensor> Gradients) Run(BertForMaskedLM weights, ComputePrecision precision, bool packed)
    {
        var model = new BertForMaskedLM(weights.Config, precision);
        using (no_grad())
            foreach (var ((_, to), (_, from)) in model.named_parameters().Zip(weights.named_parameters())) to.copy_(from);
        model.eval();
        var (ids, mask, paddedPositions, packedIds, packedPositions) = Batch();
        var logits = packed ? model.ForwardPacked(packedIds, PackedCells.Of(Lengths, CPU), packedPositions) : model.Forward(ids, mask, paddedPositions).Logits!;
        logits.pow(2).sum().backward();
        return (logits.detach(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!));
    }

    /// <summary>The largest difference between two runs' logits and between their gradients, each relative to the first run's largest value.</summary>
    private static (double Logits, double Gradients) Gap((Tensor Logits, Dictionary<string, Tensor> Gradients) a, (Tensor Logits, Dictionary<string, Tensor> Gradients) b)
    {
        var logits = (a.Logits - b.Logits).abs().max().item<float>() / a.Logits.abs().max().item<float>();
        var largest = a.Gradients.Values.Max(g => g.abs().max().item<float>());
        var gradients = a.Gradients.Keys.Max(name => (a.Gradients[name] - b.Gradients[name]).abs().max().item<float>()) / largest;
        return (logits, gradients);
    }

    [Fact]
    public void Packed_cells_give_the_logits_and_gradients_of_the_padded_batch()
    {
        using var weights = TestModels.Random(TestModels.Small(), seed: 4);
        var (logits, gradients) = Gap(Run(weights, ComputePrecision.Fp32, packed: false), Run(weights, ComputePrecision.Fp32, packed: true));
        Assert.True(logits <= 1e-5, $"logits differ by {logits:E2} of the largest");
        Assert.True(gradients <= 1e-5, $"gradients differ by {gradients:E2} of the largest");
    }

    [Fact]
    public void In_bf16_packed_cells_stay_as_close_to_fp32_as_the_padded_batch()
    {
        using var weights = TestModels.Random(TestModels.Small(), seed: 4);
        var reference = Run(weights, ComputePrecision.Fp32, packed: false);
        var padded = Gap(reference, Run(weights, ComputePrecision.Bf16, packed: false));
        var packed = Gap(reference, Run(weights, ComputePrecision.Bf16, packed: true));
        Assert.True(packed.Logits <= 2 * padded.Logits + 1e-3, $"logits: packed {packed.Logits:E2}, padded {padded.Logits:E2} from fp32");
        Assert.True(packed.Gradients <= 2 * padded.Gradients + 1e-3, $"gradients: packed {packed.Gradients:E2}, padded {padded.Gradients:E2} from fp32");
    }

    [Fact]
    public void A_cell_packed_beside_others_attends_only_to_itself()
    {
        using var model = TestModels.Random(TestModels.Small());
        using var noGrad = no_grad();
        var cell = tensor(new long[] { 5, 9, 3, 7 });
        var alone = model.ForwardPacked(cell, PackedCells.Of([4], CPU), arange(4, dtype: ScalarType.Int64));
        var neighbours = cat([tensor(new long[] { 11, 12, 13 }), cell, tensor(new long[] { 21, 22, 23, 24, 25 })]);
        var packed = model.ForwardPacked(neighbours, PackedCells.Of([3, 4, 5], CPU), arange(3, 7, dtype: ScalarType.Int64));
        Assert.True(alone.allclose(packed, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void The_layout_says_where_each_token_lies()
    {
        var cells = PackedCells.Of([3, 0, 2], CPU);
        Assert.Equal(2, cells.Count); // the empty cell takes no place
        Assert.Equal(3, cells.MaxLength);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1 }, cells.Positions.data<long>().ToArray());
        Assert.Equal(new[] { 0, 3, 5 }, cells.CuSeqLens.data<int>().ToArray());
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, cells.PadIndex.data<long>().ToArray());
        Assert.Equal(new[] { true, true, true, true, true, false }, cells.KeyMask.reshape(-1).data<bool>().ToArray());
        Assert.Throws<ArgumentException>(() => PackedCells.Of([0, 0], CPU));
    }

    [Fact]
    public void Variable_length_flash_attention_is_chosen_only_where_it_runs()
    {
        Assert.True(VarlenFlashAttention.Supported(DeviceType.CUDA, ScalarType.BFloat16, 64));
        Assert.True(VarlenFlashAttention.Supported(DeviceType.CUDA, ScalarType.Float16, 32));
        Assert.False(VarlenFlashAttention.Supported(DeviceType.CPU, ScalarType.BFloat16, 64));
        Assert.False(VarlenFlashAttention.Supported(DeviceType.CUDA, ScalarType.Float32, 64));
        Assert.False(VarlenFlashAttention.Supported(DeviceType.CUDA, ScalarType.BFloat16, 60));
        VarlenFlashAttention.EnsureCompiled(); // this libtorch has the kernel's schema: the script compiles on CPU too
    }

    [Fact]
    public void The_kernel_call_reaches_libtorch_with_its_arguments_converted()
    {
        var cells = PackedCells.Of([3, 2], CPU);
        var q = randn([5, 2, 8], ScalarType.BFloat16);
        // No CPU kernel exists; reaching the dispatcher for it shows the script's call and argument types are right.
        var e = Assert.ThrowsAny<Exception>(() => VarlenFlashAttention.Forward(q, q, q, cells, 0.0));
        Assert.Contains("_flash_attention_forward", e.Message);
        Assert.Contains("CPU", e.Message);
    }
}
