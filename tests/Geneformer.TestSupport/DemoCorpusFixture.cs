

namespace Geneformer.TestSupport;

/// <summary>A small generated corpus, made once per test class with the real generate and prepare commands.</summary>
public sealed class DemoCorpusFixture : IDisposable
{
    private readonly TempDir tmp = new();

    public string Raw => tmp["raw"];
    public string Corpus => tmp["corpus"];

    public DemoCorpusFixture()
    {
        var g = GeneformerProcess.Run("generate", "--output", Raw, "--datasets", "5", "--cells-per-dataset", "120", "--genes", "3000", "--genes-per-cell", "400");
        if (g.ExitCode != 0) throw new InvalidOperationException(g.ToString());
        var p = GeneformerProcess.Run("prepare", "--input", Raw, "--output", Corpus, "--holdout-fraction", "0.25", "--no-progress");
        if (p.ExitCode != 0) throw new InvalidOperationException(p.ToString());
    }

    public string NewDir(string name) => tmp[name + "-" + Guid.NewGuid().ToString("N")[..8]];

    public void Dispose() => tmp.Dispose();
}
