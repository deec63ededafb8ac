using Geneformer.Model;
using Geneformer.Model.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Geneformer.Bench;

/// <summary>
/// A bare TorchSharp training step of a preset, without the trainer: random full-length cells (ids uniform in
/// [2, vocab), every token real, the all-true key padding mask still applied), round(0.15 x seq_len) positions per
/// cell picked at random, the MLM head at those positions only, mean cross-entropy, backward, AdamW (lr 1e-4,
/// betas 0.9/0.999, eps 1e-8, weight decay 0.01; libtorch's fused kernel, as the trainer's) step.
/// tools/bench/eager_pytorch.py --mode train does the same math.
/// </summary>
public sealed class BareTrainStep : IDisposable
{
    private readonly BertForMaskedLM model;
    private readonly TorchSharp.Modules.AdamW optimizer;
    private readonly Generator generator = new(42);
    private readonly Device device;
    private readonly int batch;
    private readonly int seqLen;
    private readonly int masked;

    public BertConfig Config { get; }

    /// <summary>Seconds spent so far in each phase (forward incl. loss, backward, optimizer incl. zero_grad), over all steps run.</summary>
    public (double Forward, double Backward, double Optimizer) PhaseSeconds { get; private set; }

    public void ResetPhaseSeconds() => PhaseSeconds = default;

    public BareTrainStep(BertConfig config, int batch, int seqLen, Device device, ComputePrecision? precision = null)
    {
        Config = config;
        this.device = device;
        this.batch = batch;
        this.seqLen = seqLen;
        masked = (int)Math.Round(seqLen * 0.15);
        model = new BertForMaskedLM(config, precision ?? ComputePrecision.DefaultFor(device));
        model.to(device);
        model.train();
        optimizer = Training.Optim.Fused.AdamW.Create([new TorchSharp.Modules.AdamW.ParamGroup(model.parameters(), new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-4, weight_decay = 0.01 })],
            1e-4, 0.9, 0.999, 1e-8, 0.01);
    }

    public void Run()
    {
        using var scope = NewDisposeScope();
        var ids = randint(2, Config.VocabSize, [batch, seqLen], dtype: ScalarType.Int64, generator: generator).to(device);
        var mask = ones([batch, seqLen], dtype: ScalarType.Bool, device: device);
        var positions = randperm(batch * seqLen, generator: generator)[..(batch * masked)].to(device);
        var labels = ids.reshape(-1).index_select(0, positions);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var output = model.Forward(ids, mask, positions);
        var loss = nn.functional.cross_entropy(output.Logits!, labels);
        Sync();
        var forward = clock.Elapsed.TotalSeconds;
        optimizer.zero_grad();
        loss.backward();
        Sync();
        var backward = clock.Elapsed.TotalSeconds;
        optimizer.step();
        Sync();
        var done = clock.Elapsed.TotalSeconds;
        PhaseSeconds = (PhaseSeconds.Forward + forward, PhaseSeconds.Backward + backward - forward, PhaseSeconds.Optimizer + done - backward);
    }

    private void Sync()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        generator.Dispose();
    }
}
