namespace Geneformer.Training.Metrics;

/// <summary>One logged training step, as metrics.jsonl and TensorBoard record it.</summary>
/// <param name="TokensPerSecond">real tokens of every rank per second</param>
/// <param name="PaddingFraction">the share of the token slots computed that were padding</param>
public sealed record StepRecord(long Step, double Loss, double LearningRate, double GradNorm, double TokensPerSecond, double TflopsPerDevice, double Mfu,
    long MaskedTokens, int SeqLen, long Epoch, double PaddingFraction, StepTimes Times, double UnigramEntropy, double PositionEntropy)
{
    /// <summary>The keys of the plain console line of a logged step.</summary>
    public static readonly string[] ConsoleKeys = ["step", "loss", "lr", "grad_norm", "tokens_per_s", "tflops_per_device", "mfu", "step_s"];

    public Dictionary<string, object?> ToRecord() => new()
    {
        ["step"] = Step, ["loss"] = Loss, ["lr"] = LearningRate, ["grad_norm"] = GradNorm,
        ["tokens_per_s"] = TokensPerSecond, ["tflops_per_device"] = TflopsPerDevice, ["mfu"] = Mfu,
        ["masked_tokens"] = MaskedTokens, ["seq_len"] = SeqLen, ["epoch"] = Epoch, ["padding_fraction"] = PaddingFraction,
        ["step_s"] = Times.Total, ["data_wait_s"] = Times.DataWait, ["compute_s"] = Times.Compute, ["comm_s"] = Times.Communication,
        ["outside_compute_fraction"] = Times.OutsideFraction,
        ["unigram_entropy"] = UnigramEntropy, ["position_entropy"] = PositionEntropy,
    };
}
