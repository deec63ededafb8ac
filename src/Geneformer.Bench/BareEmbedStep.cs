using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Evaluation.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// The model part of <c>embed</c> on one batch, as <see cref="CellEmbedder"/> runs it: eval mode (no dropout), no
/// autograd (<see cref="MeanPooling.NoAutograd"/>), random full-length cells (ids uniform in [2, vocab), every token
/// real), encoder forward, mean of the last hidden states over the real tokens, copied to the host.
/// tools/bench/eager_pytorch.py --mode embed does the same math.
/// </summary>
public sealed class BareEmbedStep : IDisposable
{
    private readonly BertForMaskedLM model;
    private readonly Generator generator = new(42);
    private readonly Device device;
    private readonly int batch;
    private readonly int seqLen;

    public BertConfig Config { get; }

    public BareEmbedStep(BertConfig config, int batch, int seqLen, Device device, ComputePrecision? precision = null)
    {
        Config = config;
        this.device = device;
        this.batch = batch;
        this.seqLen = seqLen;
        model = new BertForMaskedLM(config, precision ?? ComputePrecision.DefaultFor(device));
        model.to(device);
        model.eval();
    }

    /// <returns>the pooled embeddings, [batch x hidden] row-major</returns>
    public float[] Run()
    {
        using var noAutograd = MeanPooling.NoAutograd();
        using var scope = NewDisposeScope();
        var ids = randint(2, Config.VocabSize, [batch, seqLen], dtype: ScalarType.Int64, generator: generator).to(device);
        var mask = ones([batch, seqLen], dtype: ScalarType.Bool, device: device);
        var states = model.Forward(ids, mask).LastHidden.to(ScalarType.Float32);
        return MeanPooling.Over(states, mask).cpu().contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        model.Dispose();
        generator.Dispose();
    }
}
