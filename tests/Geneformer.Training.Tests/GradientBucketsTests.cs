using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Parallel;
using static TorchSharp.torch;

namespace Geneformer.Training.Tests;

[Collection(nameof(GlobalTorchRng))]
public class GradientBucketsTests
{
    private static BertForMaskedLM Model() => new(new BertConfig { VocabSize = 30, HiddenSize = 16, NumLayers = 1, NumHeads = 2, IntermediateSize = 32, MaxPositions = 8 });

    private static void Backward(BertForMaskedLM model, int seed)
    {
        using var scope = NewDisposeScope();
        var ids = randint(2, 30, [2, 8], dtype: ScalarType.Int64, generator: new Generator((ulong)seed));
        model.Forward(ids, null, tensor(new long[] { 1, 6, 9 })).Logits!.pow(2).sum().backward();
    }

    [Fact]
    public void Backward_accumulates_into_the_buckets_and_zeroing_a_bucket_zeroes_the_gradients()
    {
        manual_seed(3);
        using var model = Model();
        model.eval(); // no dropout: two backward passes of the same batch give the same gradient
        using var buckets = new GradientBuckets(model.parameters(), new SingleProcessCollectives(), bucketBytes: 4096);
        Assert.True(buckets.Count > 1);
        Assert.Equal(model.parameters().Sum(p => p.numel()) * 4, buckets.Bytes);

        Backward(model, 1);
        var once = model.parameters().Select(p => p.grad!.clone()).ToList();
        Assert.Contains(once, g => g.abs().sum().item<float>() > 0);
        Backward(model, 1);
        foreach (var (p, g) in model.parameters().Zip(once)) Assert.True(p.grad!.allclose(2 * g, rtol: 1e-5, atol: 1e-7), "a second backward adds to the same gradient");

        buckets.Zero();
        Assert.All(model.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
        Backward(model, 1);
        foreach (var (p, g) in model.parameters().Zip(once)) Assert.True(p.grad!.allclose(g, rtol: 1e-5, atol: 1e-7), "after zeroing, backward starts from zero again");
    }
}
