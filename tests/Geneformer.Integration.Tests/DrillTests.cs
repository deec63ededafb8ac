using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>
/// A short set of tools/drills.sh's fault drills, one trial each (the full drill, 20 trials of every scenario, is one
/// command: docs/drills.md): a rank killed while a checkpoint is written, the coordinator killed, and the newest
/// committed checkpoint corrupted while the job is down. Each trial checks the job finished bit-identical to an
/// uninterrupted run, every checkpoint verifies and no process was left.
/// </summary>
public class DrillTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    [Fact]
    public void The_short_drill_set_recovers_every_trial()
    {
        var dir = corpus.NewDir("drills");
        var table = Path.Combine(dir, "table.md");
        var r = ProcessRunner.Run("python3",
            [Path.Combine(RepoPaths.Root, "tools", "drills", "drills.py"), "--geneformer", $"dotnet {GeneformerProcess.Dll}", "--corpus", corpus.Corpus,
             "--out", dir, "--scenarios", "kill-checkpoint,kill-coordinator,corrupt-checkpoint", "--trials", "1", "--seed", "7", "--timeout", "400", "--table", table],
            TimeSpan.FromMinutes(25), env: new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") });
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = File.ReadAllLines(table).Skip(2).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["kill-coordinator", "kill-checkpoint", "corrupt-checkpoint"], rows.Select(c => c[1]));
        foreach (var row in rows)
        {
            Assert.Equal("1", row[2]); // trials
            Assert.Equal("1", row[3]); // recovered
            Assert.Equal("0", row[5]); // failed
        }
    }
}
