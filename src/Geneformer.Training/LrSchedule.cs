namespace Geneformer.Training;

/// <summary>Linear warmup, constant hold, cosine decay to lr x min_lr_ratio, then constant. A pure function of the step, so it has no state to checkpoint.</summary>
public sealed record LrSchedule(double PeakLr, long WarmupSteps, long HoldSteps, long DecaySteps, double MinLrRatio)
{
    public static LrSchedule From(TrainingConfig c) =>
        new(c.LearningRate, c.WarmupSteps, c.HoldSteps, c.DecaySteps ?? Math.Max(1, c.MaxSteps - c.WarmupSteps - c.HoldSteps), c.MinLrRatio);

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return PeakLr * (step + 1) / WarmupSteps;
        var afterHold = step - WarmupSteps - HoldSteps;
        if (afterHold < 0) return PeakLr;
        var minLr = PeakLr * MinLrRatio;
        if (afterHold >= DecaySteps) return minLr;
        var progress = (double)afterHold / DecaySteps;
        return minLr + (PeakLr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
