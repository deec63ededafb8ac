using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>A generated corpus and tiny checkpoints: one run of 1 step (near its random start), and one of 40 steps that keeps steps 20 and 40.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public DemoCorpusFixture Corpus { get; } = new();
    public string Early { get; }
    public string Trained { get; }
    /// <summary>The checkpoint directory of the 40-step run (steps 20 and 40).</summary>
    public string TrainedRun => Path.GetDirectoryName(Trained)!;
    /// <summary>One generated input file (120 cells, obs column cell_type).</summary>
    public string Cells => Directory.GetFiles(Corpus.Raw, "*.h5ad").Order(StringComparer.Ordinal).First();

    public TrainedModelFixture()
    {
        Early = Pretrain(1, 1);
        Trained = Pretrain(40, 20);
    }

    private string Pretrain(int steps, int checkpointEvery)
    {
        var dir = Corpus.NewDir($"ckpt-{steps}");
        var r = GeneformerProcess.Run("pretrain", "--training", "tiny", "--corpus", Corpus.Corpus, "--checkpoints", dir, "--threads", "1",
            "--max-steps", steps.ToString(), "--checkpoint-every", checkpointEvery.ToString(), "--eval-every", "1000");
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        return Path.Combine(dir, $"step-{steps:D6}");
    }

    public string NewDir(string name) => Corpus.NewDir(name);

    public void Dispose() => Corpus.Dispose();
}
