using Geneformer.Training.Learning;

namespace Geneformer.Training.Tests;

public class LearningWatchTests
{
    private static List<(long Step, string Warning)> Feed(LearningWatch watch, IEnumerable<double> losses)
    {
        var warnings = new List<(long, string)>();
        var step = 0L;
        foreach (var loss in losses)
            if (watch.Observe(++step, loss) is { } w) warnings.Add((step, w));
        return warnings;
    }

    [Fact]
    public void A_loss_at_the_unigram_level_after_warmup_is_warned_about_once()
    {
        var watch = new LearningWatch(unigramEntropy: 7.0, warmupSteps: 50, watchSteps: 100);
        var losses = Enumerable.Range(0, 400).Select(i => i < 30 ? 10.0 - i * 0.1 : 7.01 + (i % 2 == 0 ? 0.02 : -0.02));
        var warnings = Feed(watch, losses);
        var (step, text) = Assert.Single(warnings);
        Assert.InRange(step, 151, 200);
        Assert.Contains("unigram level", text);
        Assert.Contains("7.000", text);
    }

    [Fact]
    public void A_loss_that_goes_below_the_unigram_level_is_not_warned_about()
    {
        var watch = new LearningWatch(unigramEntropy: 7.0, warmupSteps: 10, watchSteps: 50);
        var losses = Enumerable.Range(0, 400).Select(i => Math.Max(4.0, 7.2 - i * 0.01));
        Assert.Empty(Feed(watch, losses));
    }

    [Fact]
    public void A_loss_that_jumps_up_and_stays_is_warned_about_as_divergence()
    {
        // The shape seen on real cells at too high a learning rate: down to 6.5, then up to 7.1 and no lower.
        var watch = new LearningWatch(unigramEntropy: 7.02, warmupSteps: 100, watchSteps: 200);
        var losses = Enumerable.Range(0, 600).Select(i => i < 140 ? 8.0 - i * 1.5 / 140 : i < 380 ? 6.5 : 7.1);
        var warnings = Feed(watch, losses);
        Assert.Contains(warnings, w => w.Warning.Contains("diverged") && w.Warning.Contains("6.5"));
        var divergence = warnings.First(w => w.Warning.Contains("diverged"));
        Assert.InRange(divergence.Step, 481, 520);
    }

    [Fact]
    public void A_brief_spike_is_not_divergence()
    {
        var watch = new LearningWatch(unigramEntropy: 7.0, warmupSteps: 10, watchSteps: 100);
        var losses = Enumerable.Range(0, 400).Select(i => i is >= 200 and < 230 ? 6.0 : 5.0);
        Assert.Empty(Feed(watch, losses));
    }

    [Fact]
    public void Zero_watch_steps_turns_warnings_off()
    {
        var watch = new LearningWatch(unigramEntropy: 7.0, warmupSteps: 0, watchSteps: 0);
        Assert.Empty(Feed(watch, Enumerable.Repeat(7.0, 1000)));
    }
}
