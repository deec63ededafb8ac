namespace Geneformer.Training.Learning;

/// <summary>
/// Watches the training loss against the corpus's reference entropies and says, once each, when a run is not
/// learning:
/// <list type="bullet">
/// <item><b>stalled</b>: after warmup, the smoothed loss has stayed at the unigram level (within
/// <see cref="StallMargin"/> nats of it) for <c>watchSteps</c> steps: the model predicts masked genes from their
/// frequency alone and ignores the cell's other genes;</item>
/// <item><b>diverged</b>: the smoothed loss rose more than <see cref="RiseMargin"/> nats above its lowest value and
/// stayed there for <c>watchSteps / 2</c> steps: training became unstable (typically a learning rate too high for
/// its warmup) and the model has lost what it had learned.</item>
/// </list>
/// The loss is smoothed with an exponential moving average over about 20 steps, so one noisy batch is not a warning.
/// It may be observed at every step or only at logged ones: a gap of several steps weighs as much as that many steps.
/// </summary>
public sealed class LearningWatch(double unigramEntropy, long warmupSteps, long watchSteps)
{
    public const double StallMargin = 0.05;
    public const double RiseMargin = 0.3;
    private const double Smoothing = 0.05;

    private double? smoothed;
    private long lastStep;
    private double lowest = double.MaxValue;
    private long lowestStep;
    private long stalledSince = -1;
    private long risenSince = -1;
    private bool stallReported;
    private bool riseReported;

    public double? SmoothedLoss => smoothed;

    /// <summary>Takes one step's loss; returns a warning the first time a condition has held long enough, else null.</summary>
    public string? Observe(long step, double loss)
    {
        if (watchSteps <= 0 || !double.IsFinite(loss)) return null;
        var weight = 1 - Math.Pow(1 - Smoothing, Math.Max(1, step - lastStep));
        lastStep = step;
        smoothed = smoothed is { } s ? s + weight * (loss - s) : loss;
        var now = smoothed.Value;
        if (now < lowest)
        {
            lowest = now;
            lowestStep = step;
        }
        if (step <= warmupSteps) return null;

        if (now >= unigramEntropy - StallMargin)
        {
            if (stalledSince < 0) stalledSince = step;
        }
        else
        {
            stalledSince = -1;
        }
        if (!stallReported && stalledSince >= 0 && step - stalledSince >= watchSteps)
        {
            stallReported = true;
            return $"the loss has stayed at the unigram level for {step - stalledSince} steps (smoothed {now:0.000} against {unigramEntropy:0.000} nats, the loss of predicting each masked gene from its frequency alone): " +
                   "the model is not using the cell's other genes. See docs/learning.md";
        }

        if (now > lowest + RiseMargin)
        {
            if (risenSince < 0) risenSince = step;
        }
        else
        {
            risenSince = -1;
        }
        if (!riseReported && risenSince >= 0 && step - risenSince >= watchSteps / 2)
        {
            riseReported = true;
            return $"the loss rose from {lowest:0.000} (step {lowestStep}) to {now:0.000} and has stayed up for {step - risenSince} steps: training diverged. " +
                   "Lower lr or lengthen warmup_steps, and resume from a checkpoint before the rise. See docs/learning.md";
        }
        return null;
    }
}
